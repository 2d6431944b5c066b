package org.wardline.server.device;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.server.pki.CertificateAuthority;
import org.wardline.server.pki.RevocationList;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The device listener's live connections, keyed by the serial of the client certificate that opened them.
 * A connection whose certificate is stopped (revoked, or superseded past its grace period) is closed when it
 * opens, and every open one is closed as soon as its certificate's stop is announced.
 */
public final class DeviceConnections implements Handler<HttpConnection> {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceConnections.class);

    private final RevocationList revocations;
    private final DeviceStore devices;
    private final ConcurrentHashMap<String, Set<HttpConnection>> bySerial = new ConcurrentHashMap<>();

    public DeviceConnections(RevocationList revocations, DeviceStore devices) {
        this.revocations = revocations;
        this.devices = devices;
        revocations.subscribe(this::closeAll);
    }

    @Override
    public void handle(HttpConnection connection) {
        String serial = serialOf(connection);
        if (serial == null || !revocations.ready()) {
            connection.close();
            return;
        }
        bySerial.computeIfAbsent(serial, s -> ConcurrentHashMap.newKeySet()).add(connection);
        connection.closeHandler(v -> bySerial.computeIfPresent(serial, (s, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        }));
        // Checked after registering: a stop announced meanwhile either sees this connection or is seen here.
        if (revocations.isStopped(serial)) {
            connection.close();
            return;
        }
        devices.touch(serial).onFailure(t -> LOG.atDebug().addKeyValue("errorType", t.getClass().getSimpleName())
                .log("could not record last-seen"));
    }

    /**
     * Holds a public-listener connection (a browser device's messaging WebSocket, which proved its key with DPoP
     * rather than TLS) to the certificate {@code serial} of its device: closed when that certificate is stopped, at
     * once when it already is.
     */
    public void holdBrowser(String serial, HttpConnection connection) {
        if (serial == null || !revocations.ready()) {
            connection.close();
            return;
        }
        bySerial.computeIfAbsent(serial, s -> ConcurrentHashMap.newKeySet()).add(connection);
        connection.closeHandler(v -> bySerial.computeIfPresent(serial, (s, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        }));
        if (revocations.isStopped(serial)) {
            connection.close();
        }
    }

    /** Closes every open connection made with one of these certificates; returns how many. */
    public int closeAll(Set<String> serials) {
        int closed = 0;
        for (String serial : serials) {
            Set<HttpConnection> open = bySerial.remove(serial);
            if (open != null) {
                for (HttpConnection c : open) {
                    c.close();
                    closed++;
                }
            }
        }
        if (closed > 0) {
            LOG.atInfo().addKeyValue("connections", closed).log("closed connections of stopped device certificates");
        }
        return closed;
    }

    /** How many connections are open with this certificate. */
    public int openWith(String serial) {
        Set<HttpConnection> open = bySerial.get(serial);
        return open == null ? 0 : open.size();
    }

    static String serialOf(HttpConnection connection) {
        try {
            List<Certificate> chain = connection.peerCertificates();
            return chain != null && !chain.isEmpty() && chain.get(0) instanceof X509Certificate leaf
                    ? CertificateAuthority.serialHex(leaf) : null;
        } catch (SSLPeerUnverifiedException | RuntimeException e) {
            return null;
        }
    }
}
