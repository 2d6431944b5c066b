package org.wardline.server.sharelink;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A one-time download is audited by what was sent: a patient whose browser closes the download early leaves an entry
 * with the bytes that went out and {@code completed:false}, and may try again on the same session; the complete
 * download is audited with every byte, and then the link's download is spent.
 */
class ShareLinkDownloadAuditTest {
    private static final int SIZE = 6 << 20;

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static ShareLinkClient owner;

    @BeforeAll
    static void device() throws Exception {
        owner = new ShareLinkClient(WARDLINE.server(), EnrolledDevices.enroll(WARDLINE.server()));
    }

    @Test
    void aDownloadClosedEarlyIsAuditedAsIncompleteAndCanBeRetriedOnce() throws Exception {
        byte[] content = "Physiotherapy exercises: ten repetitions, twice a day.\n".repeat(SIZE / 55)
                .getBytes(StandardCharsets.UTF_8);
        String file = owner.upload(content, "text/plain");
        ShareLinkClient.Link link = owner.create(file, new JsonObject().put("phone", "+44 20 7946 0958"), "download", 1);
        owner.verifyStart(link.id(), link.secret());
        HttpResponse<String> verified = owner.verify(link.id(), link.secret(), link.phoneCode().orElseThrow());
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        String cookie = ShareLinkClient.sessionCookie(verified);

        HttpResponse<InputStream> cut = owner.getWithSession("/s/" + link.id() + "/download", cookie,
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(cut.statusCode()).isEqualTo(200);
        try (InputStream body = cut.body()) {
            assertThat(body.readNBytes(64 * 1024)).hasSize(64 * 1024);
        }

        String incomplete = awaitDetails(link.id(), "failure");
        JsonObject first = new JsonObject(incomplete);
        assertThat(first.getBoolean("completed")).isFalse();
        assertThat(first.getLong("bytesSent")).isLessThan(content.length);
        assertThat(first.getLong("bytesExpected")).isEqualTo(content.length);

        HttpResponse<byte[]> whole = owner.getWithSession("/s/" + link.id() + "/download", cookie,
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).as("an incomplete download can be retried").isEqualTo(200);
        assertThat(whole.body()).isEqualTo(content);
        JsonObject second = new JsonObject(awaitDetails(link.id(), "success"));
        assertThat(second.getBoolean("completed")).isTrue();
        assertThat(second.getLong("bytesSent")).isEqualTo(content.length);

        assertThat(owner.getWithSession("/s/" + link.id() + "/download", cookie, HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("the completed download spent the link's download").isEqualTo(401);
        assertThat(owner.auditCount("sharelink.download.started", link.id(), 2)).isEqualTo(2);
        assertThat(owner.auditCount("sharelink.downloaded", link.id(), 2)).isEqualTo(2);
    }

    /** The details of the link's {@code sharelink.downloaded} entry with this outcome, once it is written. */
    private static String awaitDetails(String linkId, String outcome) throws Exception {
        String sql = "SELECT details FROM audit_entries WHERE action = 'sharelink.downloaded' AND object_id = '" + linkId
                + "' AND outcome = '" + outcome + "'";
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<String> rows = owner.rowsAsText(sql);
        while (rows.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            rows = owner.rowsAsText(sql);
        }
        assertThat(rows).as("a %s download entry", outcome).hasSize(1);
        return rows.get(0);
    }
}
