package org.wardline.server.delivery;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.server.device.DeviceModule;
import org.wardline.server.health.EventLoopWatchdog;
import org.wardline.server.pki.RevocationReason;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hunts event-loop deaths (attack trial #19 item 5): floods, oversized and malformed frames, reconnect storms,
 * revocations and normal chat run together against one server for {@code wardline.soak.seconds} (20 s in the test
 * suite; {@code ./wardline bench soak --minutes 30} for the long run), while a watchdog asks every event loop to
 * answer every 250 ms. The run fails on any loop silent for over 2 s, any Netty or Vert.x internal exception logged,
 * or a connection that cannot be opened afterwards (a dead loop refuses its share of new connections).
 */
class SoakTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static final Duration RUN = Duration.ofSeconds(Long.getLong("wardline.soak.seconds", 20));

    private final ConcurrentLinkedQueue<Throwable> workerFailures = new ConcurrentLinkedQueue<>();
    private final AtomicLong chatOk = new AtomicLong();
    private final AtomicLong floods = new AtomicLong();
    private final AtomicLong oversized = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong revocations = new AtomicLong();

    @Test
    void everyEventLoopKeepsAnsweringUnderHostileAndNormalTrafficTogether() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        ChatPair pair = chatPair();
        long deadline = System.nanoTime() + RUN.toNanos();
        try (pair; EventLoopWatchdog watchdog = EventLoopWatchdog.start(WARDLINE.server().vertx(), Duration.ofMillis(250),
                Duration.ofSeconds(2))) {
            List<Thread> workers = List.of(
                    worker("chat", () -> chat(pair, deadline)),
                    worker("flood", () -> repeat(deadline, this::flood)),
                    worker("oversized", () -> repeat(deadline, this::oversizedMessage)),
                    worker("malformed", () -> repeat(deadline, this::malformedFrames)),
                    worker("reconnect", () -> repeat(deadline, this::reconnectStorm)),
                    worker("revocation", () -> repeat(deadline, this::revocation)));
            for (Thread t : workers) {
                t.join(RUN.toMillis() + 120_000);
            }
            for (int i = 0; i < 2 * watchdog.loopCount(); i++) {
                try (RawDevice d = device().hello()) {
                    assertThat(d.connection.isOpen()).as("connection %d after the soak", i).isTrue();
                }
            }
            Thread.sleep(1_000); // a last probe round after the traffic
            System.out.printf("soak %ds: chat=%d floods=%d oversized=%d malformed=%d reconnects=%d revocations=%d "
                            + "loops=%d probes=%d stalls=%d%n", RUN.toSeconds(), chatOk.get(), floods.get(), oversized.get(),
                    malformed.get(), reconnects.get(), revocations.get(), watchdog.loopCount(), watchdog.probes(), watchdog.stalls());
            assertThat(workerFailures).as("worker failures").isEmpty();
            assertThat(watchdog.probes()).as("the watchdog ran").isGreaterThan(RUN.toMillis() / 250 / 2);
            assertThat(watchdog.stalls()).as("event-loop stalls").isZero();
        } finally {
            root.detachAppender(logs);
        }
        List<String> internal;
        synchronized (logs) {
            internal = logs.list.stream()
                    .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .filter(e -> e.getLoggerName().startsWith("io.netty") || e.getLoggerName().startsWith("io.vertx"))
                    .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()
                            + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getClassName()))
                    .toList();
        }
        assertThat(internal).as("Netty/Vert.x internal warnings and exceptions").isEmpty();
        assertThat(chatOk.get()).as("normal chat got through").isPositive();
        assertThat(List.of(floods.get(), oversized.get(), malformed.get(), reconnects.get(), revocations.get()))
                .as("every hostile pattern ran").allMatch(n -> n > 0);
    }

    private Thread worker(String name, ThrowingRunnable body) {
        return Thread.ofPlatform().name("soak-" + name).start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                workerFailures.add(new AssertionError(name + ": " + t, t));
            }
        });
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void repeat(long deadline, ThrowingRunnable round) throws Exception {
        do {
            round.run();
        } while (System.nanoTime() < deadline);
    }

    private static RawDevice device() throws Exception {
        return new RawDevice(TestDevices.teamMate(WARDLINE.server())).connect();
    }

    /** Two devices in one conversation, set up before the clock starts (enrolment is slow on a busy machine). */
    private record ChatPair(RawDevice alice, RawDevice bob, ConversationGroup group) implements AutoCloseable {
        @Override
        public void close() {
            alice.close();
            bob.close();
        }
    }

    private static ChatPair chatPair() throws Exception {
        RawDevice alice = device().hello();
        RawDevice bob = device().hello();
        byte[] groupId = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        ConversationGroup a = ConversationGroup.create(alice.identity, groupId);
        alice.ok(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, groupId));
        bob.uploadKeyPackages(1);
        Frame claimed = alice.ok(Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.DEVICE, bob.uri().toString()));
        ConversationGroup.PendingCommit add = a.commitAdd(claimed.all(Tag.KEY_PACKAGE));
        alice.ok(Frame.of(FrameType.COMMIT, 0).with(Tag.GROUP_ID, groupId).with(Tag.EPOCH, add.fromEpoch())
                .with(Tag.PAYLOAD, add.commit()).with(Tag.ADDED, bob.uri().toString()).with(Tag.WELCOME, add.welcome()));
        a.accept(add);
        Frame welcome = bob.nextDelivery();
        assertThat(DeliveryKind.forCode(welcome.u64(Tag.KIND))).isEqualTo(DeliveryKind.WELCOME);
        bob.join(welcome);
        bob.ack(welcome);
        return new ChatPair(alice, bob, a);
    }

    private void chat(ChatPair pair, long deadline) throws Exception {
        ConversationGroup a = pair.group();
        int n = 0;
        while (System.nanoTime() < deadline) {
            pair.alice().ok(Frame.of(FrameType.SEND, 0).with(Tag.GROUP_ID, a.groupId()).with(Tag.EPOCH, a.epoch())
                    .with(Tag.PAYLOAD, a.protect(("ward round " + n++).getBytes(StandardCharsets.UTF_8))));
            pair.bob().ack(pair.bob().nextDelivery());
            chatOk.incrementAndGet();
            Thread.sleep(20);
        }
    }

    private void flood() throws Exception {
        try (RawDevice d = device().hello()) {
            List<CompletableFuture<Frame>> answers = new ArrayList<>();
            for (int i = 0; i < 1_500; i++) {
                answers.add(d.connection.request(Frame.of(FrameType.ACK, 0).with(Tag.SEQ, 1 + i)));
            }
            for (CompletableFuture<Frame> f : answers) {
                f.handle((v, e) -> null).get(60, TimeUnit.SECONDS);
            }
            floods.incrementAndGet();
        }
    }

    private void oversizedMessage() throws Exception {
        try (RawDevice d = device().hello()) {
            d.connection.sendRaw(new byte[300 * 1024]);
            assertThat(d.connection.closeStatus().get(20, TimeUnit.SECONDS)).isEqualTo(1009);
            oversized.incrementAndGet();
        }
    }

    private void malformedFrames() throws Exception {
        try (RawDevice d = device().hello()) {
            for (int i = 0; i < 120; i++) {
                d.connection.sendRaw(new byte[] {1, 2, 3});
            }
            d.connection.sendRaw(FrameCodec.encode(Frame.of(FrameType.HELLO, 5)));
            assertThat(d.connection.closeStatus().get(20, TimeUnit.SECONDS)).isEqualTo(1008);
            malformed.incrementAndGet();
        }
    }

    private void reconnectStorm() throws Exception {
        RawDevice d = new RawDevice(TestDevices.teamMate(WARDLINE.server()));
        for (int i = 0; i < 20; i++) {
            d.connect();
            if (i % 2 == 0) {
                d.hello();
                d.connection.abort();
            } else {
                d.connection.close();
            }
            reconnects.incrementAndGet();
        }
    }

    private void revocation() throws Exception {
        var credentials = TestDevices.teamMate(WARDLINE.server());
        try (RawDevice d = new RawDevice(credentials).connect().hello()) {
            UUID device = d.uri().device();
            assertThat(WARDLINE.server().module(DeviceModule.class).revocation().revoke(device, RevocationReason.LOST)
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS)).isTrue();
            d.connection.closed().get(20, TimeUnit.SECONDS);
            revocations.incrementAndGet();
        }
    }
}
