package org.wardline.server.delivery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.chat.ChatSession;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wardline chat}'s commands, driven line by line as a user would type them, through a real server. */
class ChatSessionTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @TempDir
    Path state;

    private record Chat(ChatSession session, BlockingQueue<String> screen, MessagingClient client) implements AutoCloseable {
        String waitFor(String fragment) throws InterruptedException {
            return waitForMatch(".*" + java.util.regex.Pattern.quote(fragment) + ".*");
        }

        String waitForMatch(String regex) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                String line = screen.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.matches(regex)) {
                    return line;
                }
            }
            throw new AssertionError("the screen never showed " + regex);
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private Chat chat() throws Exception {
        BlockingQueue<String> screen = new LinkedBlockingQueue<>();
        Path downloads = state.resolve("downloads-" + UUID.randomUUID());
        ChatSession session = new ChatSession(screen::add, downloads);
        MessagingClient client = MessagingClient.start(TestDevices.teamMate(WARDLINE.server()),
                LocalVault.open(state.resolve(UUID.randomUUID().toString()), "p".toCharArray()), session);
        session.attach(client);
        client.connected().get(60, TimeUnit.SECONDS);
        return new Chat(session, screen, client);
    }

    @Test
    void twoUsersChatShareAFileAndCompareSafetyNumbers() throws Exception {
        try (Chat alice = chat(); Chat bob = chat()) {
            assertThat(alice.session().handle("hello?")).isTrue();
            alice.waitFor("no open conversation");
            alice.session().handle("/new");
            alice.waitFor("opened new conversation");
            alice.session().handle("/invite " + bob.client().device().userUri());
            alice.waitFor("invited 1");
            bob.waitFor("you were added to conversation");
            alice.session().handle("hello bob");
            assertThat(bob.waitFor("hello bob")).startsWith("[");
            bob.session().handle("hi alice");
            alice.waitFor("hi alice");
            alice.session().handle("/members");
            String line = alice.waitFor(shortForm(bob.client().device()));
            bob.session().handle("/safety " + alice.client().device());
            String bobSees = bob.waitForMatch("(\\d{5} ){11}\\d{5}");
            assertThat(line).endsWith(bobSees);
            bob.session().handle("/list");
            bob.waitForMatch("\\* [0-9a-f]{32}  \\(2 devices\\)");

            java.nio.file.Path letter = state.resolve("discharge letter.txt");
            java.nio.file.Files.writeString(letter, "Discharge: home with oral antibiotics, review in 7 days.");
            alice.session().handle("/file " + letter);
            alice.waitFor("sent file discharge letter.txt");
            bob.waitFor("[file] discharge letter.txt");
            bob.session().handle("/download");
            String saved = bob.waitFor("saved ");
            java.nio.file.Path copy = java.nio.file.Path.of(saved.substring("saved ".length(), saved.indexOf(" (")));
            assertThat(java.nio.file.Files.readString(copy)).isEqualTo("Discharge: home with oral antibiotics, review in 7 days.");
            alice.session().handle("/file " + state.resolve("no such file.txt"));
            alice.waitFor("[client.file_not_found]");

            bob.session().handle("/history");
            bob.waitFor(": hello bob");
            bob.waitFor(": [file] discharge letter.txt");
            alice.session().handle("/nonsense");
            alice.waitFor("unknown command");
            assertThat(alice.session().handle("/quit")).isFalse();
        }
    }

    /** {@code /invite <user name>}: the server's directory turns the exact name into the URN; an unknown name is said so. */
    @Test
    void inviteByUserName() throws Exception {
        try (Chat alice = chat(); Chat bob = chat()) {
            String bobName = WARDLINE.server().database().pool().preparedQuery("SELECT username FROM users WHERE id = $1")
                    .execute(io.vertx.sqlclient.Tuple.of(bob.client().device().user()))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getString(0);
            alice.session().handle("/new");
            alice.waitFor("opened new conversation");
            alice.session().handle("/invite nobody.here");
            alice.waitFor("no colleague with the user name nobody.here (check the exact name); nobody invited");
            alice.session().handle("/invite " + bobName);
            alice.waitFor("invited 1");
            bob.waitFor("you were added to conversation");
            alice.session().handle("hello by name");
            bob.waitFor("hello by name");
        }
    }

    /** {@code /new 8h}: the conversation's messages disappear eight hours after they are sent; a bad lifetime is explained. */
    @Test
    void aConversationWithAMessageLifetime() throws Exception {
        try (Chat alice = chat()) {
            alice.session().handle("/new soon");
            alice.waitFor("a message lifetime is a number and m, h or d");
            alice.session().handle("/new 8h");
            String opened = alice.waitFor("opened new conversation");
            assertThat(opened).endsWith("(its messages disappear 8h after they are sent)");
            String hex = opened.substring("opened new conversation ".length(), "opened new conversation ".length() + 32);
            long ttl = WARDLINE.server().database().pool().preparedQuery("SELECT ttl_seconds FROM conversations WHERE group_id = $1")
                    .execute(io.vertx.sqlclient.Tuple.of(io.vertx.core.buffer.Buffer.buffer(java.util.HexFormat.of().parseHex(hex))))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
            assertThat(ttl).isEqualTo(8 * 3600);
        }
    }

    @Test
    void aLegalHoldMemberIsMarkedInTheMemberList() throws Exception {
        org.wardline.clients.sdk.Admin admin = new org.wardline.clients.sdk.Admin(org.wardline.server.testing.EnrolledDevices.enroll(
                WARDLINE.server(), UUID.randomUUID(), java.util.Set.of(org.wardline.server.account.Role.ADMIN),
                java.time.LocalDate.now().plusYears(1)).identity());
        UUID records = org.wardline.server.testing.CareTeams.user(WARDLINE.server(),
                java.util.Set.of(org.wardline.server.account.Role.RECORDS_CUSTODIAN), java.time.LocalDate.now().plusYears(1));
        RecordingListener custodianEvents = new RecordingListener();
        try (MessagingClient custodian = MessagingClient.start(TestDevices.device(WARDLINE.server(), records),
                LocalVault.open(state.resolve(UUID.randomUUID().toString()), "p".toCharArray()), custodianEvents);
             Chat alice = chat(); Chat bob = chat()) {
            custodian.connected().get(60, TimeUnit.SECONDS);
            alice.session().handle("/new");
            alice.waitFor("opened new conversation");
            alice.session().handle("/invite " + bob.client().device().userUri());
            bob.waitFor("you were added to conversation");
            admin.placeHold("user", alice.client().device().user().toString(), "LIT-2026-201", true);
            RecordingListener.next(custodianEvents.joined);
            String marked = shortForm(custodian.device()) + ")  [legal hold (records custodian)]  safety ";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String seen = null;
            while (seen == null && System.nanoTime() < deadline) {
                bob.screen().clear();
                bob.session().handle("/members");
                seen = bob.screen().stream().filter(l -> l.contains(marked)).findFirst().orElse(null);
                if (seen == null) {
                    Thread.sleep(200); // bob's client applies the custodian's Add asynchronously
                }
            }
            assertThat(seen).as("bob's /members marks the custodian's device").isNotNull();
            assertThat(bob.screen()).filteredOn(l -> l.contains(shortForm(alice.client().device())))
                    .allMatch(l -> !l.contains("legal hold"));
        }
    }

    /**
     * What a nurse reads: the colleague's display name (from the directory) and the time on every message line and in
     * {@code /history}, devices in {@code /members} by name and short form, and that short form taken back by
     * {@code /safety} and {@code /remove}.
     */
    @Test
    void linesShowNamesAndTimesAndTheShortDeviceFormIsTakenBack() throws Exception {
        try (Chat alice = chat(); Chat bob = chat()) {
            displayName(alice.client().device().user(), "Alice Ward");
            displayName(bob.client().device().user(), "Bob Night");
            alice.session().handle("/new");
            alice.waitFor("opened new conversation");
            alice.session().handle("/invite " + bob.client().device().userUri());
            alice.waitFor("invited 1");
            bob.waitFor("you were added to conversation");
            alice.session().handle("potassium 3.9 at 18:00");
            String time = "[A-Z][a-z]{2} \\d{1,2} \\d{2}:\\d{2}";
            bob.waitForMatch("\\[[0-9a-f]{8}\\] " + time + " Alice Ward: potassium 3\\.9 at 18:00");
            bob.session().handle("/history");
            bob.waitForMatch("  " + time + " Alice Ward: potassium 3\\.9 at 18:00");

            String aliceShort = shortForm(alice.client().device());
            bob.session().handle("/members");
            String member = bob.waitFor("Alice Ward (" + aliceShort + ")  safety ");
            bob.session().handle("/safety " + aliceShort);
            assertThat(member).endsWith(bob.waitForMatch("(\\d{5} ){11}\\d{5}"));
            bob.session().handle("/safety 00000000/0000");
            bob.waitFor("no device 00000000/0000 here");

            String bobShort = shortForm(bob.client().device());
            alice.session().handle("/remove " + bobShort);
            alice.waitFor("you were the last one left: conversation closed"); // the short form named Bob's device
        }
    }

    private static String shortForm(org.wardline.protocol.mls.DeviceUri d) {
        return d.user().toString().substring(0, 8) + "/" + d.device().toString().substring(0, 4);
    }

    private static void displayName(UUID user, String name) throws Exception {
        WARDLINE.server().database().pool().preparedQuery("UPDATE users SET display_name = $2 WHERE id = $1")
                .execute(io.vertx.sqlclient.Tuple.of(user, name)).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }
}
