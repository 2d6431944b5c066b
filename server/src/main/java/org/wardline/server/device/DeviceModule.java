package org.wardline.server.device;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.wardline.server.ApiModule;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.pki.CertificateAuthority;
import org.wardline.server.pki.RevocationList;

import java.net.URI;
import java.time.Duration;

/**
 * Device identity: enrollment on the public listener, renewal and "who am I" on the device listener, code
 * issuing and revocation on the ops listener, and the registry of live device connections.
 */
public final class DeviceModule implements ApiModule {
    private final EnrollmentCodes codes;
    private final DeviceRevocation revocation;
    private final DeviceConnections connections;
    private final DeviceRoutes routes;
    private volatile HttpServer deviceServer;

    public DeviceModule(Vertx vertx, CertificateAuthority ca, WardlineConfig config, DeviceStore devices,
                        RevocationList revocations, AuditSink audit) {
        Duration validity = Duration.ofDays(config.pki().deviceCertificateDays());
        this.codes = new EnrollmentCodes(devices.pool());
        this.revocation = new DeviceRevocation(vertx, devices, audit);
        this.connections = new DeviceConnections(revocations, devices);
        DeviceEnrollment enrollment = new DeviceEnrollment(vertx, ca, devices, codes, validity, audit);
        DeviceRenewal renewal = new DeviceRenewal(vertx, ca, devices, validity, config.pki().renewalGrace(), audit);
        URI publicUrl = config.publicUrl();
        this.routes = new DeviceRoutes(enrollment, renewal, revocation, codes, devices,
                () -> publicUrl.getScheme() + "://" + publicUrl.getHost() + ":"
                        + (deviceServer == null ? config.deviceListener().port() : deviceServer.actualPort()), audit);
    }

    /** Issues enrollment codes: the accounts module calls this after a sign-in with a second factor. */
    public EnrollmentCodes enrollmentCodes() {
        return codes;
    }

    /** Revokes devices: for admin actions, remote wipe and offboarding. */
    public DeviceRevocation revocation() {
        return revocation;
    }

    public DeviceConnections connections() {
        return connections;
    }

    @Override
    public void mount(org.wardline.server.rbac.RouteRegistry registry) {
        routes.mount(registry);
    }


    @Override
    public void mountOps(Router router) {
        routes.mountOps(router);
    }

    @Override
    public void configureListener(String name, HttpServer server, HttpServerOptions options) {
        if ("device".equals(name)) {
            deviceServer = server;
            server.connectionHandler(connections);
        }
    }
}
