package org.wardline.server.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.testing.TlsClients;
import org.wardline.server.testing.WardlineServerExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** HEAD answers as GET does, without a body, over HTTP/1.1 and HTTP/2 (RFC 9110 §9.3.2). */
class HeadRequestsTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void headAnswersLikeGetWithoutABody(HttpClient.Version version) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5))
                .sslContext(TlsClients.context(WARDLINE.server().certificateAuthority().rootCertificate(), null)).build();
        String base = "https://127.0.0.1:" + WARDLINE.server().publicPort();
        for (String path : List.of("/health/live", "/pki/crl", "/s/no-such-link", "/v1/no-such-route")) {
            HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(head.version()).as(path).isEqualTo(version);
            assertThat(head.statusCode()).as(version + " HEAD " + path).isEqualTo(get.statusCode());
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.headers().firstValue("content-type")).as(path).isEqualTo(get.headers().firstValue("content-type"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/health/ready", "/pki/ca", "/app/", "/app/app.js", "/share-assets/share.js", "/s/abc"})
    void headOfAReadOnlyPageAnswersAsGet(String path) {
        assertThat(HeadRequests.answersAsGet(path)).isTrue();
    }

    /** A mail gateway probing a link with HEAD must not open it, use up its one download or write audit entries. */
    @ParameterizedTest
    @ValueSource(strings = {"/s/abc/download", "/s/abc/document", "/s/abc/pages/1", "/v1/files/abc/content",
            "/v1/admin/audit/export", "/app/../s/abc/download"})
    void headOfAGetWithSideEffectsIsNotRunAsGet(String path) {
        assertThat(HeadRequests.answersAsGet(path)).isFalse();
    }
}
