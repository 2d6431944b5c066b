package org.wardline.server.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.pki.ServerCertificate;
import org.wardline.server.testing.TlsClients;
import org.wardline.server.testing.WardlineServerExtension;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/** The certificate the public listener presents says where its revocation list is, and that list is there. */
class ServerCertificateRevocationTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @Test
    void theServerCertificateNamesACrlThatTheIssuerSigned() throws Exception {
        var ca = WARDLINE.server().certificateAuthority();
        var tls = TlsClients.context(ca.rootCertificate(), null);
        X509Certificate leaf;
        try (SSLSocket s = TlsClients.handshake(tls, WARDLINE.server().publicPort(), null, null)) {
            leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
        String crlUrl = ServerCertificate.crlDistributionPoint(leaf).orElseThrow(
                () -> new AssertionError("no CRL distribution point on the server certificate"));
        assertThat(crlUrl).isEqualTo("https://127.0.0.1:" + WARDLINE.server().publicPort() + "/pki/crl");
        HttpResponse<byte[]> crl = HttpClient.newBuilder().sslContext(tls).build()
                .send(HttpRequest.newBuilder(URI.create(crlUrl)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(crl.statusCode()).isEqualTo(200);
        X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(crl.body()));
        parsed.verify(ca.intermediateCertificate().getPublicKey());
        assertThat(parsed.getIssuerX500Principal()).isEqualTo(leaf.getIssuerX500Principal());
        assertThat(parsed.isRevoked(leaf)).isFalse();
    }
}
