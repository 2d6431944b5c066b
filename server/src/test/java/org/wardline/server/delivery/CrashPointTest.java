package org.wardline.server.delivery;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.clients.sdk.SignIn;
import org.wardline.protocol.Secret;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.delivery.RecordingListener.next;

/**
 * A client in a JVM of its own is killed with SIGKILL at the points of processing that matter (after its state is
 * saved and before it sends; after it stored a delivery and before it acknowledges; after the server stored a
 * queued message and before the client removed it from its outbox), then started again: nothing is lost, nothing
 * is shown or stored twice, nothing fails to decrypt.
 */
class CrashPointTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();
    private final List<MessagingClient> clients = new ArrayList<>();

    /** A child client and the lines it printed. */
    private record Child(Process process, BlockingQueue<String> lines, PrintWriter commands) {
        String next(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return line;
                }
                if (line != null && (line.startsWith("UNDECRYPTABLE") || line.startsWith("LOST"))) {
                    throw new AssertionError("the child said: " + line);
                }
                if (line == null && !process.isAlive()) {
                    throw new AssertionError("the child ended (exit " + process.exitValue() + ") before " + prefix);
                }
            }
            throw new AssertionError("no " + prefix + " within 60 s");
        }

        void command(String line) {
            commands.println(line);
            commands.flush();
        }

        /** SIGKILL, as a crash or a phone's battery would end it. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private record Bob(Path keystore, Path vault) {
    }

    private Bob bob() throws Exception {
        SignedInDevice enrolled = EnrolledDevices.enroll(WARDLINE.server(), CareTeams.teamMate(WARDLINE.server()));
        Path keystore = dir.resolve("bob").resolve("device.p12");
        enrolled.identity().save(keystore, Secret.of("device-pass"));
        WardlineApi.Account account = enrolled.account();
        SignIn.password(enrolled.identity(), account.username, Secret.of(WardlineApi.PASSWORD), () -> {
            synchronized (account) {
                return SignIn.SecondFactor.recoveryCode(Secret.of(account.recoveryCodes.remove(0).toString()));
            }
        }); // saves the session beside the keystore, for the child to read
        return new Bob(keystore, dir.resolve("bob-vault"));
    }

    private Child start(Bob bob, String crashAt) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        if (crashAt != null) {
            command.add("-Dwardline.test.crashAt=" + crashAt);
        }
        command.addAll(List.of(CrashingClient.class.getName(), bob.keystore().toString(), "device-pass", bob.vault().toString()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        children.add(p);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the child was killed
            }
        });
        Child child = new Child(p, lines, new PrintWriter(p.getOutputStream(), false, StandardCharsets.UTF_8));
        child.next("CONNECTED");
        return child;
    }

    private MessagingClient alice(DurableStateTest.Events events) throws Exception {
        MessagingClient c = MessagingClient.start(TestDevices.teamMate(WARDLINE.server()),
                LocalVault.open(dir.resolve(UUID.randomUUID().toString()), "vault-pass".toCharArray()), events);
        clients.add(c);
        c.connected().get(60, TimeUnit.SECONDS);
        return c;
    }

    /** Alice and Bob (a child) in one conversation; Bob's child is left running. */
    private ConversationId conversation(MessagingClient alice, Bob bob, Child child) throws Exception {
        ConversationId id = alice.createConversation().get(60, TimeUnit.SECONDS);
        DeviceUri bobDevice = DeviceUri.of(
                org.wardline.clients.sdk.DeviceIdentity.load(bob.keystore(), Secret.of("device-pass")).userId(), UUID.randomUUID());
        alice.invite(id, List.of(bobDevice.userUri())).get(60, TimeUnit.SECONDS);
        assertThat(child.next("JOINED ")).isEqualTo("JOINED " + id.hex());
        return id;
    }

    private static void waitForEmptyInbox(Bob bob) throws Exception {
        UUID device = org.wardline.clients.sdk.DeviceIdentity.load(bob.keystore(), Secret.of("device-pass")).deviceId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long left;
        do {
            left = WARDLINE.server().database().pool().preparedQuery("SELECT count(*) FROM device_inbox WHERE device_id = $1")
                    .execute(io.vertx.sqlclient.Tuple.of(device)).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
            if (left > 0) {
                Thread.sleep(100);
            }
        } while (left > 0 && System.nanoTime() < deadline);
        assertThat(left).as("every delivery acknowledged").isZero();
    }

    @AfterEach
    void close() {
        children.forEach(Process::destroyForcibly);
        clients.forEach(MessagingClient::close);
    }

    /** Killed after processing and saving three deliveries, before acknowledging them: each is shown and stored once. */
    @Test
    void killedBeforeTheAckItReadsEveryMessageOnceAfterARestart() throws Exception {
        DurableStateTest.Events aliceEvents = new DurableStateTest.Events();
        MessagingClient alice = alice(aliceEvents);
        Bob bob = bob();
        Child first = start(bob, "before-ack");
        ConversationId id = conversation(alice, bob, first);
        first.next("CRASHPOINT"); // the Welcome's delivery, processed and saved, not acknowledged
        first.kill();

        Child second = start(bob, null);
        List<String> shown = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            alice.send(id, ("lab value " + i).getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 3; i++) {
            shown.add(second.next("MSG ").substring(4));
        }
        assertThat(shown).containsExactly("lab value 1", "lab value 2", "lab value 3");
        waitForEmptyInbox(bob); // so the next crash point is reached on lab value 4, not on these
        second.kill();

        Child third = start(bob, "before-ack");
        alice.send(id, "lab value 4".getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS);
        assertThat(third.next("MSG ")).isEqualTo("MSG lab value 4");
        third.next("CRASHPOINT");
        third.kill();

        Child fourth = start(bob, null);
        assertThat(fourth.lines().poll(3, TimeUnit.SECONDS)).as("lab value 4 is not shown again").isNull();
        fourth.command("history");
        List<String> history = new ArrayList<>();
        for (String line = fourth.next(""); !line.equals("END"); line = fourth.next("")) {
            history.add(line);
        }
        assertThat(history).containsExactly("HIST other lab value 1", "HIST other lab value 2", "HIST other lab value 3",
                "HIST other lab value 4");
        assertThat(aliceEvents.undecryptable).isEmpty();
    }

    /**
     * Killed after a queued message is sealed (its generation and ciphertext durable) and before it is sent, then
     * after the server stored one and before the outbox let go of it: every message reaches Alice once, in order.
     */
    @Test
    void killedWhileSendingQueuedMessagesEachReachesTheOtherOnceInOrder() throws Exception {
        DurableStateTest.Events aliceEvents = new DurableStateTest.Events();
        MessagingClient alice = alice(aliceEvents);
        Bob bob = bob();
        Child first = start(bob, "queued-sealed");
        ConversationId id = conversation(alice, bob, first);
        first.command("offline");
        for (int i = 1; i <= 3; i++) {
            first.command("send " + id.hex() + " queued " + i);
        }
        first.command("online");
        first.next("CRASHPOINT");
        first.kill();
        assertThat(aliceEvents.messages.poll(1, TimeUnit.SECONDS)).as("nothing left before the kill").isNull();

        Child second = start(bob, "queued-stored");
        second.next("CRASHPOINT"); // "queued 1" stored by the server, still in Bob's outbox
        second.kill();
        assertThat(next(aliceEvents.messages).text()).isEqualTo("queued 1");

        Child third = start(bob, null);
        for (int i = 0; i < 3; i++) {
            third.next("PENDING-SENT ");
        }
        assertThat(next(aliceEvents.messages, 2)).extracting(ReceivedMessage::text).containsExactly("queued 2", "queued 3");
        assertThat(aliceEvents.messages.poll(2, TimeUnit.SECONDS)).as("each once").isNull();
        assertThat(aliceEvents.undecryptable).as("no generation used twice").isEmpty();
        assertThat(aliceEvents.rejected).isEmpty();
        third.command("history");
        List<String> history = new ArrayList<>();
        for (String line = third.next(""); !line.equals("END"); line = third.next("")) {
            history.add(line);
        }
        assertThat(history).containsExactly("HIST me queued 1", "HIST me queued 2", "HIST me queued 3");
    }
}
