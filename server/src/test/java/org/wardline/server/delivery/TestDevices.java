package org.wardline.server.delivery;

import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.server.WardlineServer;
import org.wardline.server.pki.CertificateAuthority;

import java.net.URI;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.UUID;

/** Device certificates issued by the running server's CA, as enrollment would, for tests. */
final class TestDevices {
    private TestDevices() {
    }

    static DeviceCredentials device(WardlineServer server, UUID user) throws Exception {
        return device(server, DeviceUri.of(user, UUID.randomUUID()));
    }

    static DeviceCredentials device(WardlineServer server, DeviceUri uri) throws Exception {
        CertificateAuthority ca = server.certificateAuthority();
        KeyPair keys = CertificateAuthority.newKeyPair();
        X509Certificate cert = ca.issueClientCertificate(keys.getPublic(), "device " + uri.device(), uri.toString(),
                Duration.ofDays(1));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pass = "device-pass".toCharArray();
        ks.setKeyEntry("device", keys.getPrivate(), pass, new Certificate[] {cert, ca.intermediateCertificate()});
        return DeviceCredentials.fromKeyStore(ks, pass, ca.rootCertificate(),
                URI.create("https://127.0.0.1:" + server.devicePort()));
    }
}
