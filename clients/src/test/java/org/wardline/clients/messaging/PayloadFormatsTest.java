package org.wardline.clients.messaging;

import org.junit.jupiter.api.Test;
import org.wardline.protocol.mls.DeviceUri;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The plaintext formats inside MLS application messages: text, attachment announcements, link payloads. */
class PayloadFormatsTest {
    @Test
    void anAttachmentRoundTripsAndTextIsNeverMistakenForOne() {
        Attachment a = new Attachment(UUID.randomUUID().toString(), "../../etc/.profile", 1234, "text/plain", "ab".repeat(32));
        assertThat(Attachment.parse(a.encode())).contains(a);
        assertThat(Attachment.parse("hello".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(Attachment.parse(new byte[0])).isEmpty();
        byte[] truncated = Arrays.copyOf(a.encode(), 12);
        assertThat(Attachment.parse(truncated)).as("a cut-off announcement is not an attachment").isEmpty();
        assertThat(a.safeFileName()).as("no folders, not hidden").isEqualTo("profile");
        assertThat(new Attachment("id", "\u0007", 0, "", "").safeFileName()).isEqualTo("_");
    }

    @Test
    void historyIsBatchedUnderTheFrameLimitAndRoundTrips() {
        byte[] record = new byte[40 * 1024];
        List<byte[]> records = List.of(record, record, record, "small".getBytes());
        List<byte[]> batches = DeviceLinks.historyBatches(records);
        assertThat(batches).hasSize(2).allMatch(b -> b.length <= DeviceLinks.HISTORY_BATCH_BYTES + 16);
        assertThat(batches.stream().mapToInt(b -> DeviceLinks.parseHistory(b).orElseThrow().size()).sum()).isEqualTo(4);
        assertThat(DeviceLinks.parseHistory("text".getBytes())).isEmpty();
        byte[] lying = Arrays.copyOf(batches.get(1), batches.get(1).length);
        lying[7] = 9; // claims more records than it holds
        assertThat(DeviceLinks.parseHistory(lying)).isEmpty();
    }

    @Test
    void rejoinRequestsNameAConversationAndPreferTheUsersOwnDevice() {
        ConversationId id = new ConversationId("00ff10");
        assertThat(DeviceLinks.parseRejoin(DeviceLinks.rejoinRequest(id))).contains(id);
        assertThat(DeviceLinks.parseRejoin("x".getBytes())).isEmpty();
        UUID me = UUID.randomUUID();
        DeviceUri self = DeviceUri.of(me, UUID.randomUUID());
        DeviceUri other = DeviceUri.of(UUID.randomUUID(), UUID.randomUUID());
        DeviceUri sibling = DeviceUri.of(me, UUID.randomUUID());
        assertThat(DeviceLinks.helperFor(self, List.of(self, other, sibling))).contains(sibling);
        assertThat(DeviceLinks.helperFor(self, List.of(other, self))).contains(other);
        assertThat(DeviceLinks.helperFor(self, List.of(self))).isEmpty();
        assertThat(DeviceLinks.isLink(ConversationId.of(DeviceLinks.newGroupId(DeviceLinks.REJOIN_TAG)))).isTrue();
        assertThat(DeviceLinks.isLink(new ConversationId("574c5231"))).as("the tag alone is not a link group").isFalse();
    }
}
