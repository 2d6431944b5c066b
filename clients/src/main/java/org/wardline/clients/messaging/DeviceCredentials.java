package org.wardline.clients.messaging;

import org.wardline.protocol.mls.DeviceUri;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a device needs to reach the delivery service: an SSLContext holding its enrolled client certificate and
 * trusting Wardline's root CA, the device URI read from that certificate, and the device listener's address.
 */
public record DeviceCredentials(SSLContext sslContext, DeviceUri device, URI deviceListener,
                                java.util.function.Supplier<org.wardline.protocol.Secret<String>> bearer) {

    /** Without a session: the upgrade is refused until {@link #withBearer} supplies one. */
    public DeviceCredentials(SSLContext sslContext, DeviceUri device, URI deviceListener) {
        this(sslContext, device, deviceListener, null);
    }

    /**
     * The same credentials, sending the access token of a session bound to this device on every WebSocket
     * upgrade (asked at each connect, so a renewed token is used after a reconnect). For an SDK identity:
     * {@code creds.withBearer(identity::accessToken)}.
     */
    public DeviceCredentials withBearer(java.util.function.Supplier<org.wardline.protocol.Secret<String>> token) {
        return new DeviceCredentials(sslContext, device, deviceListener, token);
    }

    /** From a PKCS#12 key store (the enrollment output) and the root CA certificate. */
    public static DeviceCredentials fromPkcs12(Path keyStore, char[] passphrase, X509Certificate root, URI deviceListener)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, passphrase);
        }
        return fromKeyStore(ks, passphrase, root, deviceListener);
    }

    public static DeviceCredentials fromKeyStore(KeyStore keys, char[] passphrase, X509Certificate root, URI deviceListener)
            throws GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try {
            trust.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        trust.setCertificateEntry("wardline-root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, passphrase);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return new DeviceCredentials(ctx, deviceOf(keys), deviceListener);
    }

    private static DeviceUri deviceOf(KeyStore keys) throws GeneralSecurityException {
        Enumeration<String> aliases = keys.aliases();
        while (aliases.hasMoreElements()) {
            String alias = aliases.nextElement();
            if (keys.isKeyEntry(alias) && keys.getCertificate(alias) instanceof X509Certificate cert) {
                Collection<List<?>> names = sans(cert);
                for (List<?> name : names) {
                    if (Integer.valueOf(6).equals(name.get(0))) {
                        var device = DeviceUri.parse(String.valueOf(name.get(1)));
                        if (device.isPresent()) {
                            return device.get();
                        }
                    }
                }
            }
        }
        throw new GeneralSecurityException("the key store holds no Wardline device certificate");
    }

    private static Collection<List<?>> sans(X509Certificate cert) throws CertificateParsingException {
        Collection<List<?>> names = cert.getSubjectAlternativeNames();
        return names == null ? List.of() : names;
    }

    /** The same device, reaching another device listener (another node of a cluster). */
    public DeviceCredentials withDeviceListener(URI listener) {
        return new DeviceCredentials(sslContext, device, listener, bearer);
    }

    @Override
    public String toString() {
        return "DeviceCredentials[" + device + " → " + deviceListener + "]";
    }
}
