package org.wardline.server.pki;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.micrometer.backends.BackendRegistries;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.ApiModule;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.RouteRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Wardline's PKI at run time: publishes the CA chain ({@code GET /pki/ca}) and the device CRL
 * ({@code GET /pki/crl}) on the public listener, keeps the CRL in the device listener's trust options,
 * reloads the server certificate when its files change, and watches certificate expiry.
 */
public final class PkiModule implements ApiModule {
    /** How often the server certificate files are checked for a new certificate. */
    public static final Duration RELOAD_INTERVAL = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final CertificateAuthority ca;
    private final ListenerTls tls;
    private final RevocationList revocations;
    private final CertificateExpiryMonitor expiry;

    public PkiModule(Vertx vertx, CertificateAuthority ca, WardlineConfig config,
                     Supplier<Future<List<CertificateAuthority.RevokedCertificate>>> stoppedCertificates) {
        this.vertx = vertx;
        this.ca = ca;
        this.tls = new ListenerTls(vertx, config.tls().certificate(), config.tls().privateKey());
        this.revocations = new RevocationList(vertx, ca, stoppedCertificates, tls);
        this.expiry = new CertificateExpiryMonitor(Clock.systemUTC())
                .watch("server", () -> tls.serverChain().get(0))
                .watch("intermediate", ca::intermediateCertificate)
                .watch("root", ca::rootCertificate);
    }

    public RevocationList revocationList() {
        return revocations;
    }

    public ListenerTls listenerTls() {
        return tls;
    }

    public CertificateExpiryMonitor expiryMonitor() {
        return expiry;
    }

    @Override
    public void mount(RouteRegistry routes) {
        routes.on(RouteRegistry.Listener.PUBLIC, HttpMethod.GET, "/pki/crl").permission(Permission.PUBLIC).handler(ctx -> {
            byte[] der = revocations.der();
            if (der == null) {
                ctx.fail(new WardlineHttpException(ErrorCode.UNAVAILABLE));
                return;
            }
            ctx.response().putHeader("Content-Type", "application/pkix-crl").end(Buffer.buffer(der));
        });
        String chain = Pem.encode(ca.rootCertificate(), ca.intermediateCertificate());
        routes.on(RouteRegistry.Listener.PUBLIC, HttpMethod.GET, "/pki/ca").permission(Permission.PUBLIC).handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/pem-certificate-chain")
                .end(chain));
    }

    @Override
    public void configureListener(String name, HttpServer server, HttpServerOptions options) {
        if (options.isSsl()) {
            tls.register(name, server, options.getSslOptions(), "device".equals(name));
        }
    }

    @Override
    public Future<Void> start() {
        MeterRegistry registry = BackendRegistries.getDefaultNow();
        if (registry != null) {
            expiry.bind(registry);
        }
        return tls.reloadCertificate().compose(loaded -> revocations.start()).onSuccess(v -> {
            expiry.start(vertx);
            vertx.setPeriodic(RELOAD_INTERVAL.toMillis(), id -> tls.reloadCertificate());
        });
    }
}
