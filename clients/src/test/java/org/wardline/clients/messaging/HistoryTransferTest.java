package org.wardline.clients.messaging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A history transfer between two devices of one user, each with its own real vault and actor: every message of the
 * link goes through the real codec as a SEND frame's payload, within the frame limit, to the other device.
 */
class HistoryTransferTest {
    private static final String ACTOR = "actor-";

    @TempDir
    Path dir;

    private final UUID user = UUID.randomUUID();
    private final DeviceUri phone = DeviceUri.of(user, UUID.randomUUID());
    private final DeviceUri tablet = DeviceUri.of(user, UUID.randomUUID());
    private final ConversationId ward = ConversationId.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    private final ConversationId link = ConversationId.of(DeviceLinks.newGroupId(DeviceLinks.HISTORY_TAG));
    private final ExecutorService phoneActor = Executors.newSingleThreadExecutor(r -> new Thread(r, ACTOR + "phone"));
    private final ExecutorService tabletActor = Executors.newSingleThreadExecutor(r -> new Thread(r, ACTOR + "tablet"));
    private final List<LocalVault> vaults = new ArrayList<>();
    private final List<String> steps = new CopyOnWriteArrayList<>();
    private final List<String> rejected = new CopyOnWriteArrayList<>();
    private final List<Integer> imported = new CopyOnWriteArrayList<>();
    private volatile boolean sendFails;

    @AfterEach
    void close() {
        phoneActor.shutdownNow();
        tabletActor.shutdownNow();
        vaults.forEach(LocalVault::close);
    }

    private MessageHistory history(String name) {
        LocalVault vault = LocalVault.open(dir.resolve(name), "p".toCharArray());
        vaults.add(vault);
        return new MessageHistory(vault);
    }

    private final MessageListener tabletListener = new MessageListener() {
        @Override
        public void onRejected(ConversationId conversation, String reason) {
            rejected.add(reason);
        }

        @Override
        public void onHistory(int records) {
            imported.add(records);
        }
    };

    /** The phone's transfer; each message it sends in the link reaches the tablet's, on the tablet's actor. */
    private HistoryTransfer phone(MessageHistory phoneHistory, HistoryTransfer tabletTransfer) {
        return new HistoryTransfer(phone, phoneHistory, phoneActor, new HistoryTransfer.Client() {
            @Override
            public CompletableFuture<ConversationId> createLink() {
                steps.add("create");
                return CompletableFuture.completedFuture(link);
            }

            @Override
            public CompletableFuture<Long> invite(ConversationId l, DeviceUri device) {
                steps.add("invite " + device);
                return CompletableFuture.completedFuture(1L);
            }

            @Override
            public CompletableFuture<Long> send(ConversationId l, byte[] body) {
                steps.add("send");
                if (sendFails) {
                    return CompletableFuture.failedFuture(new MessagingException(MessagingException.CONNECTION_LOST, null));
                }
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        Frame sent = FrameCodec.decode(FrameCodec.encode(Frame.of(FrameType.SEND, 7)
                                .with(Tag.GROUP_ID, l.groupId()).with(Tag.EPOCH, 1).with(Tag.PAYLOAD, body)));
                        tabletTransfer.received(l, phone, sent.bytes(Tag.PAYLOAD));
                        return 1L;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }, tabletActor);
            }

            @Override
            public void dropLink(ConversationId l) {
                steps.add("drop on " + Thread.currentThread().getName());
            }
        }, new MessageListener() { });
    }

    private static String text(int i) {
        return "message " + i + " " + "x".repeat(1_000);
    }

    @Test
    void theWholeHistoryReachesTheOtherDeviceInBatchesWithinTheFrameLimitAndTheLinkIsDropped() throws Exception {
        MessageHistory phoneHistory = history("phone");
        int n = 250; // about 250 kB of records: more than one batch
        for (int i = 1; i <= n; i++) {
            phoneHistory.record(new ReceivedMessage(ward, DeviceUri.of(UUID.randomUUID(), UUID.randomUUID()), i, i,
                    text(i).getBytes(StandardCharsets.UTF_8)));
        }
        MessageHistory tabletHistory = history("tablet");
        HistoryTransfer receiver = new HistoryTransfer(tablet, tabletHistory, tabletActor, null, tabletListener);

        assertThat(phone(phoneHistory, receiver).sendTo(tablet).get(10, TimeUnit.SECONDS)).isEqualTo(n);
        tabletActor.submit(() -> { }).get(5, TimeUnit.SECONDS);
        phoneActor.submit(() -> { }).get(5, TimeUnit.SECONDS); // the link's removal queued behind the transfer

        assertThat(steps).startsWith("create", "invite " + tablet).endsWith("drop on " + ACTOR + "phone");
        assertThat(steps.stream().filter("send"::equals).count()).isGreaterThan(1);
        assertThat(imported.stream().mapToInt(Integer::intValue).sum()).isEqualTo(n);
        assertThat(tabletHistory.all()).extracting(ReceivedMessage::text).hasSize(n).startsWith(text(1)).endsWith(text(n));
        assertThat(rejected).isEmpty();
    }

    @Test
    void aFailedSendStillDropsTheLinkAndNothingGoesToAnotherUsersDeviceOrToItself() throws Exception {
        MessageHistory phoneHistory = history("phone");
        phoneHistory.record(new ReceivedMessage(ward, tablet, 1, 1, "BP 120/80".getBytes(StandardCharsets.UTF_8)));
        HistoryTransfer transfer = phone(phoneHistory, null);
        sendFails = true;
        assertThatThrownBy(() -> transfer.sendTo(tablet).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(MessagingException.class);
        phoneActor.submit(() -> { }).get(5, TimeUnit.SECONDS);
        assertThat(steps).containsExactly("create", "invite " + tablet, "send", "drop on " + ACTOR + "phone");

        steps.clear();
        assertThatThrownBy(() -> transfer.sendTo(DeviceUri.of(UUID.randomUUID(), UUID.randomUUID())).get())
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> transfer.sendTo(phone).get()).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(steps).as("no link made").isEmpty();
    }

    @Test
    void historyFromAnotherUsersDeviceOrMalformedIsRefusedAndRecordsHeldAlreadyAreNotImportedAgain() {
        MessageHistory tabletHistory = history("tablet");
        ReceivedMessage held = new ReceivedMessage(ward, phone, 5, 5, "K+ 6.1".getBytes(StandardCharsets.UTF_8));
        tabletHistory.record(held);
        HistoryTransfer receiver = new HistoryTransfer(tablet, tabletHistory, tabletActor, null, tabletListener);
        byte[] batch = DeviceLinks.historyBatches(List.of(HistoryRecords.encode(held),
                HistoryRecords.encode(new ReceivedMessage(ward, phone, 6, 6, "recheck".getBytes(StandardCharsets.UTF_8))))).get(0);

        receiver.received(link, DeviceUri.of(UUID.randomUUID(), UUID.randomUUID()), batch);
        receiver.received(link, phone, "not history".getBytes(StandardCharsets.UTF_8));
        assertThat(rejected).containsExactly("history from another user's device", "malformed history");
        assertThat(tabletHistory.all()).hasSize(1);

        receiver.received(link, phone, batch);
        assertThat(imported).containsExactly(1);
        assertThat(tabletHistory.all()).extracting(ReceivedMessage::messageId).containsExactly(5L, 6L);
    }
}
