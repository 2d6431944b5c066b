package org.wardline.server.delivery;

import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.messaging.Attachment;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.clients.sdk.ConversationFiles;
import org.wardline.clients.sdk.WardlineClientException;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.WardlineServerExtension;
import org.wardline.storage.blob.BlobId;
import org.wardline.storage.object.ObjectCatalog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wardline.server.delivery.RecordingListener.next;

/** Files shared into conversations: uploaded, scanned and committed, then readable by current members only. */
class ConversationAttachmentTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @TempDir
    Path dir;

    private final List<MessagingClient> clients = new ArrayList<>();

    private record Member(MessagingClient client, RecordingListener events, DeviceCredentials credentials) {
        ConversationFiles files() {
            return new ConversationFiles(credentials.sslContext(), credentials.deviceListener(), credentials.bearer());
        }
    }

    private Member member() throws Exception {
        RecordingListener events = new RecordingListener();
        DeviceCredentials creds = TestDevices.teamMate(WARDLINE.server());
        MessagingClient c = MessagingClient.start(creds, LocalVault.open(dir.resolve(UUID.randomUUID().toString()),
                "p".toCharArray()), events);
        clients.add(c);
        c.connected().get(60, TimeUnit.SECONDS);
        return new Member(c, events, creds);
    }

    @AfterEach
    void close() {
        clients.forEach(MessagingClient::close);
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    private static String errorOf(Runnable call) {
        try {
            call.run();
        } catch (WardlineClientException e) {
            return e.errorCode();
        }
        throw new AssertionError("expected a refusal");
    }

    private static long count(String sql, Object... args) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.from(args))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }

    private static long auditCount(String action, String outcome, UUID device, String file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long n;
        do {
            n = count("SELECT count(*) FROM audit_entries WHERE action = $1 AND outcome = $2 AND actor_device_id = $3 "
                    + "AND object_id = $4", action, outcome, device, file);
            if (n > 0) {
                return n;
            }
            Thread.sleep(50); // the audit write follows the response
        } while (System.nanoTime() < deadline);
        return n;
    }

    @Test
    void filesGoThroughTheDeviceListenerTheClientFailedOverTo() throws Exception {
        Member bob = member();
        RecordingListener events = new RecordingListener();
        DeviceCredentials creds = TestDevices.teamMate(WARDLINE.server());
        java.net.URI down = java.net.URI.create("https://127.0.0.1:" + org.wardline.embedded.FreePorts.pick());
        MessagingClient alice = MessagingClient.start(creds.withDeviceListener(down), List.of(down, creds.deviceListener()),
                LocalVault.open(dir.resolve(UUID.randomUUID().toString()), "p".toCharArray()), events,
                org.wardline.protocol.mls.MlsSuites.DEFAULT_ID, false);
        clients.add(alice);
        alice.connected().get(60, TimeUnit.SECONDS);
        assertThat(alice.deviceListener()).as("the first listener is down: the client moved on").isEqualTo(creds.deviceListener());

        ConversationId id = await(alice.createConversation());
        await(alice.invite(id, List.of(bob.client().device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        Path note = dir.resolve("handover.txt");
        Files.writeString(note, "Handover: bed 9 needs a repeat potassium at 18:00.\n");
        Attachment sent = await(alice.sendFile(id, note));
        Attachment announced = next(bob.events().messages).attachment().orElseThrow();
        assertThat(announced).isEqualTo(sent);
        assertThat(Files.readString(await(bob.client().download(announced, dir.resolve("bob-handover.txt")))))
                .isEqualTo(Files.readString(note));
    }

    @Test
    void membersDownloadASharedFileAndOutsidersAndRemovedMembersAreRefused() throws Exception {
        Member alice = member();
        Member bob = member();
        Member carol = member();
        Member outsider = member();
        ConversationId id = await(alice.client().createConversation());
        await(alice.client().invite(id, List.of(bob.client().device().userUri(), carol.client().device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        assertThat(next(carol.events().joined)).isEqualTo(id);

        Path report = dir.resolve("ward-round notes.txt");
        String content = "Ward round: bed 4 stable, review bloods tomorrow.\n".repeat(200);
        Files.writeString(report, content);
        Attachment sent = await(alice.client().sendFile(id, report));
        assertThat(sent.name()).isEqualTo("ward-round notes.txt");

        ReceivedMessage atBob = next(bob.events().messages);
        Attachment announced = atBob.attachment().orElseThrow();
        assertThat(announced).isEqualTo(sent);
        Path got = await(bob.client().download(announced, dir.resolve("bob-copy.txt")));
        assertThat(Files.readString(got)).isEqualTo(content);
        assertThat(auditCount("file.downloaded", "success", bob.client().device().device(), sent.fileId())).isPositive();

        Attachment atCarol = next(carol.events().messages).attachment().orElseThrow();
        assertThat(Files.readString(await(carol.client().download(atCarol, dir.resolve("carol-copy.txt"))))).isEqualTo(content);

        assertThatThrownBy(() -> outsider.files().download(sent.fileId(), sent.sha256(), dir.resolve("outsider.txt")))
                .isInstanceOf(WardlineClientException.class)
                .satisfies(e -> assertThat(((WardlineClientException) e).errorCode()).isEqualTo("resource.not_found"));
        assertThat(dir.resolve("outsider.txt")).doesNotExist();
        assertThat(auditCount("file.downloaded", "denied", outsider.client().device().device(), sent.fileId())).isPositive();

        assertThat(await(alice.client().remove(id, List.of(carol.client().device())))).isEqualTo(MessagingClient.Removal.REMOVED);
        assertThat(next(carol.events().removed)).isEqualTo(id);
        assertThat(errorOf(() -> carol.files().download(sent.fileId(), sent.sha256(), dir.resolve("carol-again.txt"))))
                .as("a removed member loses the file at once").isEqualTo("resource.not_found");
        assertThat(Files.readString(bob.files().download(sent.fileId(), sent.sha256(), dir.resolve("bob-again.txt"))))
                .as("the others keep it").isEqualTo(content);
        assertThat(errorOf(() -> bob.files().download(sent.fileId(), "00".repeat(32), dir.resolve("tampered.txt"))))
                .as("a file that does not match the announced hash is discarded").isEqualTo("client.integrity");
        assertThat(dir.resolve("tampered.txt")).doesNotExist();
        assertThat(errorOf(() -> bob.files().download(sent.fileId(), null, dir.resolve("unchecked.txt"))))
                .as("without a hash to check it against, nothing is kept").isEqualTo("client.integrity");
        assertThat(dir.resolve("unchecked.txt")).doesNotExist();
    }

    @Test
    void onlyTheOwnersCommittedFileCanBeSharedAndOnlyByACurrentMember() throws Exception {
        Member alice = member();
        Member bob = member();
        Member outsider = member();
        ConversationId id = await(alice.client().createConversation());
        await(alice.client().invite(id, List.of(bob.client().device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);

        ObjectCatalog catalog = new ObjectCatalog(WARDLINE.server().database().pool());
        UUID aliceUser = alice.client().device().user();
        BlobId pending = new BlobId(UUID.randomUUID());
        catalog.createPending(pending, aliceUser, Optional.empty()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        BlobId quarantined = new BlobId(UUID.randomUUID());
        catalog.createPending(quarantined, aliceUser, Optional.empty())
                .compose(o -> catalog.markQuarantined(quarantined, Optional.of("text/plain")))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(errorOf(() -> alice.files().share(id.groupId(), pending.value().toString())))
                .isEqualTo("attachment.not_ready");
        assertThat(errorOf(() -> alice.files().share(id.groupId(), quarantined.value().toString())))
                .isEqualTo("attachment.not_ready");

        Path note = dir.resolve("note.txt");
        Files.writeString(note, "handover: nothing outstanding");
        var stored = alice.files().upload(note);
        assertThat(stored.committed()).isTrue();
        assertThat(errorOf(() -> bob.files().share(id.groupId(), stored.id()))).as("not bob's file").isEqualTo("resource.not_found");
        var outsiders = outsider.files().upload(note);
        assertThat(errorOf(() -> outsider.files().share(id.groupId(), outsiders.id()))).isEqualTo("conversation.not_member");
        assertThat(errorOf(() -> alice.files().share(id.groupId(), "not-an-id"))).isEqualTo("request.invalid");
        assertThat(count("SELECT count(*) FROM conversation_attachments a JOIN conversations c ON c.id = a.conversation_id "
                + "WHERE c.group_id = $1", io.vertx.core.buffer.Buffer.buffer(id.groupId())))
                .as("no grant recorded by any refusal").isZero();

        alice.files().share(id.groupId(), stored.id());
        alice.files().share(id.groupId(), stored.id());
        assertThat(count("SELECT count(*) FROM conversation_attachments WHERE object_id = $1", UUID.fromString(stored.id())))
                .as("sharing twice records one grant").isEqualTo(1);
        assertThat(bob.files().download(stored.id(), stored.sha256(), dir.resolve("bob.txt"))).content(StandardCharsets.UTF_8)
                .isEqualTo("handover: nothing outstanding");
    }

    /** A file whose share the server refuses is taken back: sendFile used to leave the committed upload behind. */
    @Test
    void aFileWhoseShareIsRefusedIsNotKept() throws Exception {
        Member alice = member();
        Member bob = member();
        ConversationId id = await(alice.client().createConversation());
        await(alice.client().invite(id, List.of(bob.client().device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        // The server no longer counts Alice's device a member (as after a removal her client has not processed yet).
        WARDLINE.server().database().pool().preparedQuery("UPDATE conversation_members m SET removed_epoch = c.epoch "
                        + "FROM conversations c WHERE c.id = m.conversation_id AND c.group_id = $1 AND m.device_id = $2")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(id.groupId()), alice.client().device().device()))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        UUID owner = alice.client().device().user();
        long keptBefore = count("SELECT count(*) FROM stored_objects WHERE owner_id = $1 AND state = 'COMMITTED'", owner);

        Path note = dir.resolve("refused.txt");
        Files.writeString(note, "handover list for bed 9");
        assertThatThrownBy(() -> await(alice.client().sendFile(id, note)))
                .hasCauseInstanceOf(WardlineClientException.class)
                .satisfies(e -> assertThat(((WardlineClientException) e.getCause()).errorCode()).isEqualTo("conversation.not_member"));
        assertThat(count("SELECT count(*) FROM stored_objects WHERE owner_id = $1 AND state = 'COMMITTED'", owner))
                .as("the upload was taken back").isEqualTo(keptBefore);
        assertThat(bob.events().messages.poll(2, TimeUnit.SECONDS)).as("nothing announced").isNull();
    }
}
