package org.wardline.server.delivery;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.messaging.Attachment;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.MessagingException;
import org.wardline.clients.sdk.WardlineClientException;
import org.wardline.server.account.Role;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.delivery.RecordingListener.next;

/**
 * Issue 20, containment "freeze a conversation" on a real server with Java clients: while the incident is open nobody
 * can be added, no file shared into it and no share link made of a file shared into it; the members still message each
 * other; a second freeze and an unknown conversation are refused and leave nothing; closing the incident lifts it.
 */
class ConversationFreezeTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @TempDir
    static Path dir;

    private static final List<MessagingClient> CLIENTS = new ArrayList<>();
    private static SignedInDevice officer;

    private record Member(MessagingClient client, RecordingListener events, SignedInDevice device) {
    }

    @BeforeAll
    static void anOfficer() throws Exception {
        officer = EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(Role.SECURITY_OFFICER), LocalDate.now().plusYears(1));
    }

    @AfterAll
    static void close() {
        CLIENTS.forEach(MessagingClient::close);
    }

    @Test
    void aFrozenConversationTakesNoMemberNoFileAndNoLinkUntilItsIncidentIsClosed() throws Exception {
        Member alice = member();
        Member bob = member();
        Member carol = member();
        ConversationId id = await(alice.client().createConversation());
        await(alice.client().invite(id, List.of(bob.client().device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        Path note = dir.resolve("handover.txt");
        Files.writeString(note, "Handover: bed 9 needs a repeat potassium at 18:00.\n");
        Attachment before = await(alice.client().sendFile(id, note));
        assertThat(next(bob.events().messages).attachment()).contains(before);

        String incident = incident();
        long conversation = conversationId(id);
        JsonObject frozen = officerCall("POST", "/v1/admin/incidents/" + incident + "/containments", new JsonObject()
                .put("action", "freeze_conversation").put("conversationId", conversation).put("reason", "misdirected_share"), 200);
        assertThat(frozen.getJsonObject("result").getBoolean("frozen")).isTrue();
        assertThat(frozen.getJsonObject("result").getLong("memberDevices")).isEqualTo(2);

        assertThat(refusal(alice.client().invite(id, List.of(carol.client().device().userUri()))))
                .as("nobody is added").isEqualTo("conversation.frozen");
        assertThat(count("SELECT count(*) FROM conversation_members WHERE conversation_id = $1", conversation)).isEqualTo(2);
        await(alice.client().send(id, "Still here: bed 9 potassium back at 4.1.".getBytes()));
        assertThat(next(bob.events().messages).text()).as("the members still talk").isEqualTo("Still here: bed 9 potassium back at 4.1.");
        assertThat(refusal(alice.client().sendFile(id, note))).as("no file shared into it").isEqualTo("conversation.frozen");
        HttpResponse<String> link = shareLink(alice.device(), before.fileId());
        assertThat(link.statusCode()).as(link.body()).isEqualTo(409);
        assertThat(new JsonObject(link.body()).getString("error")).isEqualTo("conversation.frozen");
        assertThat(count("SELECT count(*) FROM share_links WHERE object_id = $1", UUID.fromString(before.fileId())))
                .as("no link kept").isZero();

        JsonObject again = officerCall("POST", "/v1/admin/incidents/" + incident + "/containments", new JsonObject()
                .put("action", "freeze_conversation").put("conversationId", conversation).put("reason", "misdirected_share"), 409);
        assertThat(again.getString("error")).isEqualTo("incident.already_contained");
        JsonObject unknown = officerCall("POST", "/v1/admin/incidents/" + incident + "/containments", new JsonObject()
                .put("action", "freeze_conversation").put("conversationId", Long.MAX_VALUE / 2).put("reason", "misdirected_share"), 404);
        assertThat(unknown.getString("error")).isEqualTo("admin.unknown_conversation");
        JsonObject malformed = officerCall("POST", "/v1/admin/incidents/" + incident + "/containments", new JsonObject()
                .put("action", "freeze_conversation").put("conversationId", "12; DROP").put("reason", "misdirected_share"), 400);
        assertThat(malformed.getString("error")).isEqualTo("incident.invalid");
        assertThat(count("SELECT count(*) FROM incident_containments WHERE incident_id = $1", UUID.fromString(incident)))
                .as("only the one freeze is recorded").isEqualTo(1);
        JsonObject shown = officerCall("GET", "/v1/admin/incidents/" + incident, null, 200);
        assertThat(shown.getJsonArray("timeline").stream().map(o -> ((JsonObject) o).getString("action")))
                .contains("containment.freeze_conversation");

        // The incident's end lifts the freeze (the status path to "closed" is IncidentResponseTest's).
        WARDLINE.server().database().pool().preparedQuery("UPDATE incidents SET status = 'closed', closed_at = now() WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(incident))).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        await(alice.client().invite(id, List.of(carol.client().device().userUri())));
        assertThat(next(carol.events().joined)).isEqualTo(id);
    }

    private static Member member() throws Exception {
        RecordingListener events = new RecordingListener();
        SignedInDevice device = EnrolledDevices.enroll(WARDLINE.server(), CareTeams.teamMate(WARDLINE.server()));
        MessagingClient c = MessagingClient.start(TestDevices.credentials(WARDLINE.server(), device.identity()),
                LocalVault.open(dir.resolve(UUID.randomUUID().toString()), "p".toCharArray()), events);
        CLIENTS.add(c);
        c.connected().get(60, TimeUnit.SECONDS);
        return new Member(c, events, device);
    }

    private static String incident() throws Exception {
        return officerCall("POST", "/v1/admin/incidents", new JsonObject().put("category", "misdirected_share").put("severity", "high"), 200)
                .getString("id");
    }

    private static long conversationId(ConversationId id) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery("SELECT id FROM conversations WHERE group_id = $1")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(id.groupId()))).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }

    private static JsonObject officerCall(String method, String path, JsonObject body, int expected) throws Exception {
        HttpResponse<String> r = send(officer, method, path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        return new JsonObject(r.body());
    }

    private static HttpResponse<String> shareLink(SignedInDevice owner, String file) throws Exception {
        return send(owner, "POST", "/v1/share-links", new JsonObject().put("fileId", file)
                .put("recipient", new JsonObject().put("email", "patient.freeze@example.org")).put("mode", "download")
                .put("maxOpens", 1).put("expiresInHours", 24));
    }

    private static HttpResponse<String> send(SignedInDevice device, String method, String path, JsonObject body) throws Exception {
        HttpRequest.Builder b = device.authorize(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + WARDLINE.server().devicePort() + path)))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HttpClient.newBuilder().sslContext(device.sslContext()).version(HttpClient.Version.HTTP_1_1).build()
                .send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The server's code in the refusal that failed {@code f}. */
    private static String refusal(CompletableFuture<?> f) throws Exception {
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof MessagingException m) {
                    return m.code();
                }
                if (t instanceof WardlineClientException w) {
                    return w.errorCode();
                }
            }
            throw new AssertionError("refused without a server code", e);
        }
        throw new AssertionError("expected a refusal");
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    private static long count(String sql, Object arg) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.of(arg)).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }
}
