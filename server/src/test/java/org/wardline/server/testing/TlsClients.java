package org.wardline.server.testing;

import org.wardline.server.pki.CertificateAuthority;

import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** Plain JDK TLS clients with exactly the certificates, protocols and suites a test wants to offer. */
public final class TlsClients {
    private TlsClients() {
    }

    public static SSLContext context(X509Certificate trustAnchor, KeyStore clientKeys) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trustAnchor);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientKeys != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(clientKeys, "x".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A key store holding a client certificate for a new random user and device, valid for {@code validity}. */
    public static KeyStore deviceKeys(CertificateAuthority ca, Duration validity) throws Exception {
        return deviceKeys(ca, java.util.UUID.randomUUID(), java.util.UUID.randomUUID(), validity);
    }

    /** A key store holding a client certificate issued by {@code ca} for the given user and device. */
    public static KeyStore deviceKeys(CertificateAuthority ca, java.util.UUID user, java.util.UUID device, Duration validity)
            throws Exception {
        KeyPair keys = CertificateAuthority.newKeyPair();
        X509Certificate cert = ca.issueClientCertificate(keys.getPublic(), "test-device",
                "urn:wardline:user:" + user + ":device:" + device, validity);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("device", keys.getPrivate(), "x".toCharArray(),
                new Certificate[] {cert, ca.intermediateCertificate()});
        return ks;
    }

    /** Opens a TLS connection and completes the handshake; throws if the server refuses it. */
    public static SSLSocket handshake(SSLContext ctx, int port, String[] protocols, String[] suites) throws Exception {
        SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        if (protocols != null) {
            socket.setEnabledProtocols(protocols);
        }
        if (suites != null) {
            socket.setEnabledCipherSuites(suites);
        }
        socket.startHandshake();
        return socket;
    }

    /** Sends a GET over an established TLS socket and returns the status line and headers. */
    public static String get(SSLSocket socket, String path) throws Exception {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
