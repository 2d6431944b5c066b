package org.wardline.clients.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plaintext vectors the web app's payload.test.mjs decodes (clients/web/app/test/vectors/java-payloads.json) are
 * exactly what this SDK writes: if the Java format changes, this fails, and the browser's reader must follow.
 */
class AttachmentWireVectorTest {
    private static final Path VECTORS = Path.of("web", "app", "test", "vectors", "java-payloads.json");

    @Test
    void theWebAppsVectorsAreWhatTheJavaClientWrites() throws Exception {
        JsonNode vectors = new ObjectMapper().readTree(Files.readString(VECTORS));
        assertThat(vectors.path("attachments").size()).isGreaterThanOrEqualTo(3);
        for (JsonNode v : vectors.path("attachments")) {
            Attachment a = new Attachment(v.path("fileId").asText(), v.path("name").asText(), v.path("size").asLong(),
                    v.path("contentType").asText(), v.path("sha256").asText());
            assertThat(HexFormat.of().formatHex(a.encode())).as(a.toString()).isEqualTo(v.path("hex").asText());
            assertThat(Attachment.parse(HexFormat.of().parseHex(v.path("hex").asText()))).contains(a);
        }
        for (JsonNode v : vectors.path("texts")) {
            byte[] body = HexFormat.of().parseHex(v.path("hex").asText());
            assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(v.path("text").asText());
            assertThat(Attachment.parse(body)).isEmpty();
        }
    }
}
