package org.wardline.server.pki;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live TLS settings of the TLS listeners: the server certificate (re-read from its PEM files when they
 * change) and, on the device listener, the current CRL. Each change rebuilds the listener's SSL options and
 * swaps them in with {@link HttpServer#updateSSLOptions}: new handshakes use them at once, open connections
 * keep theirs (revocation closes those separately).
 */
public final class ListenerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerTls.class);

    private final Vertx vertx;
    private final Path certificateFile;
    private final Path keyFile;
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private volatile byte[] loadedDigest = new byte[0];
    private volatile PemKeyCertOptions keyCert;
    private volatile List<X509Certificate> serverChain;
    private volatile Buffer crl;

    private record Listener(HttpServer server, ServerSSLOptions base, boolean takesCrl) {
    }

    public ListenerTls(Vertx vertx, Path certificateFile, Path keyFile) {
        this.vertx = vertx;
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.serverChain = ServerCertificate.readChain(certificateFile);
    }

    /** Registers a listener whose TLS options this object keeps current; {@code takesCrl} for mutual-TLS ones. */
    public synchronized void register(String name, HttpServer server, ServerSSLOptions base, boolean takesCrl) {
        String key = name;
        for (int instance = 2; listeners.containsKey(key); instance++) {
            key = name + "#" + instance; // a listener served by several event loops has one server per loop
        }
        listeners.put(key, new Listener(server, base.copy(), takesCrl));
    }

    /** The server certificate chain the listeners present now (leaf first). */
    public List<X509Certificate> serverChain() {
        return serverChain;
    }

    /**
     * Re-reads the certificate and key files (on a worker) and, when their content changed since the last
     * load, pushes them to every listener. Completes with true when the listeners were updated.
     */
    public Future<Boolean> reloadCertificate() {
        return vertx.executeBlocking(() -> {
            byte[] cert = Files.readAllBytes(certificateFile);
            byte[] key = Files.readAllBytes(keyFile);
            byte[] digest = digest(cert, key);
            if (Arrays.equals(digest, loadedDigest)) {
                return false;
            }
            List<X509Certificate> chain = ServerCertificate.readChain(certificateFile);
            synchronized (this) {
                keyCert = new PemKeyCertOptions().setCertValue(Buffer.buffer(cert)).setKeyValue(Buffer.buffer(key));
                serverChain = chain;
                loadedDigest = digest;
            }
            return true;
        }, false).compose(changed -> changed ? pushAll(false).map(v -> {
            LOG.atInfo().addKeyValue("notAfter", serverChain.get(0).getNotAfter().toInstant().toString())
                    .log("server certificate loaded into the TLS listeners");
            return true;
        }) : Future.succeededFuture(false));
    }

    /** Installs a new CRL (DER) on the mutual-TLS listeners. */
    public Future<Void> applyCrl(byte[] der) {
        crl = Buffer.buffer(der);
        return pushAll(true);
    }

    private Future<Void> pushAll(boolean crlOnly) {
        List<Future<Boolean>> updates = new java.util.ArrayList<>();
        synchronized (this) {
            for (Map.Entry<String, Listener> e : listeners.entrySet()) {
                if (crlOnly && !e.getValue().takesCrl()) {
                    continue;
                }
                updates.add(e.getValue().server().updateSSLOptions(options(e.getValue()), true)
                        .onFailure(t -> LOG.atError().addKeyValue("listener", e.getKey())
                                .addKeyValue("errorType", t.getClass().getSimpleName())
                                .log("could not update the listener's TLS options; it keeps the previous ones")));
            }
        }
        return Future.all(updates).mapEmpty();
    }

    private ServerSSLOptions options(Listener l) {
        ServerSSLOptions o = l.base().copy();
        if (keyCert != null) {
            o.setKeyCertOptions(keyCert);
        }
        if (l.takesCrl() && crl != null) {
            o.addCrlValue(crl);
        }
        return o;
    }

    private static byte[] digest(byte[] cert, byte[] key) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(cert);
            md.update(key);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
