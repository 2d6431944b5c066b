package org.wardline.server.delivery;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.FrameConnection;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceMlsIdentity;
import org.wardline.protocol.mls.KeyPackageBundle;
import org.wardline.protocol.mls.MlsSuites;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.server.WardlineServer;
import org.wardline.server.dev.DevEnvironment;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link RelayBenchmark} with three changes to the load generator: a slow set-up on a loaded machine cannot lose
 * connections to the listener's idle timeout (all devices enrolled before any connects, a keep-alive meanwhile);
 * every device sends from its own (virtual) thread, where RelayBenchmark's senders share the common pool (one or
 * two threads on two cores, so only one or two devices sent at a time); and deliveries are acknowledged in
 * batches every 10 ms instead of one ACK frame each. Several send rounds run over the same devices and
 * conversations, so that a median can be taken. Relay benchmark: a dev-mode server (embedded PostgreSQL), N devices in M conversations over mutual TLS, each
 * device sending K pre-encrypted 1 KiB MLS application messages (suite 0x0007, encrypted before the clock
 * starts: the server never decrypts, so this measures the relay). Reports accepted messages per second and
 * delivery latency (send → DELIVER at each recipient) p50/p99, then memory per idle connection.
 *
 * <p>Run: see docs in the messaging issue note; arguments {@code N M K window rounds}. Idle-connection memory is
 * {@link org.wardline.server.delivery.bench.IdleConnectionBench}.
 */
public final class RelayThroughputBench {
    private RelayThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int conversations = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int perDevice = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        Path data = Files.createTempDirectory("wardline-bench-");
        DevEnvironment dev = DevEnvironment.start(data, new DevEnvironment.Ports(0, 0, 0), Map.of());
        WardlineServer server = WardlineServer.start(dev.config());
        try {
            run(server, devices, conversations, perDevice, window, rounds);
        } finally {
            server.close();
            dev.close();
        }
        System.exit(0);
    }

    /**
     * Acknowledges in batches, as a client receiving hundreds of messages a second must: one ACK per DELIVER would
     * pass the listener's per-connection frame limit (50 a second by default) long before the relay's limits.
     */
    private static final java.util.concurrent.ScheduledExecutorService ACKS =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

    private static final class Device {
        final DeviceCredentials creds;
        final DeviceMlsIdentity identity;
        final FrameConnection conn;
        final List<Frame> welcomes = new ArrayList<>();
        final java.util.concurrent.ConcurrentLinkedQueue<Long> unacked = new java.util.concurrent.ConcurrentLinkedQueue<>();
        KeyPackageBundle bundle;
        ConversationGroup group;
        volatile CountDownLatch welcomed = new CountDownLatch(1);

        Device(DeviceCredentials creds, Histogram latency, Map<ByteBuffer, Long> sentAt, AtomicLong delivered) throws Exception {
            this.creds = creds;
            this.identity = DeviceMlsIdentity.generate(creds.device(), MlsSuites.DEFAULT_ID);
            FrameConnection[] self = new FrameConnection[1];
            this.conn = FrameConnection.open(creds, f -> {
                try {
                    long kind = f.u64(Tag.KIND);
                    if (kind == 2) {
                        welcomes.add(f);
                        welcomed.countDown();
                    } else if (kind == 4) {
                        Long t = sentAt.get(ByteBuffer.wrap(ConversationStoreDigest.of(f.bytes(Tag.PAYLOAD))));
                        if (t != null) {
                            latency.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
                        }
                        delivered.incrementAndGet();
                    }
                    unacked.add(f.u64(Tag.SEQ));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, () -> { }).get(30, TimeUnit.SECONDS);
            self[0] = conn;
            ACKS.scheduleWithFixedDelay(this::flushAcks, 10, 10, TimeUnit.MILLISECONDS);
            conn.request(Frame.of(FrameType.HELLO, 0)).get(30, TimeUnit.SECONDS);
        }

        void flushAcks() {
            Frame ack = Frame.of(FrameType.ACK, 0);
            int n = 0;
            for (Long seq; n < 1000 && (seq = unacked.poll()) != null; n++) {
                ack = ack.with(Tag.SEQ, seq);
            }
            if (n > 0 && conn.isOpen()) {
                conn.request(ack);
            }
        }
    }

    private static void run(WardlineServer server, int n, int m, int k, int window, int rounds) throws Exception {
        Histogram latency = new ConcurrentHistogram(3);
        Map<ByteBuffer, Long> sentAt = new ConcurrentHashMap<>();
        AtomicLong delivered = new AtomicLong();
        List<Device> devices = new ArrayList<>();
        long t0 = System.nanoTime();
        List<DeviceCredentials> enrolled = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            enrolled.add(TestDevices.teamMate(server));
        }
        System.out.printf("enrolled %d devices in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        for (int i = 0; i < n; i++) {
            Device d = new Device(enrolled.get(i), latency, sentAt, delivered);
            d.bundle = d.identity.newKeyPackage();
            d.conn.request(Frame.of(FrameType.UPLOAD_KEY_PACKAGES, 0).with(Tag.KEY_PACKAGE, d.bundle.encoded())).get(30, TimeUnit.SECONDS);
            devices.add(d);
        }
        System.out.printf("connected %d devices in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        int size = n / m;
        for (int c = 0; c < m; c++) {
            List<Device> members = devices.subList(c * size, (c + 1) * size);
            Device owner = members.get(0);
            byte[] gid = UUID.randomUUID().toString().getBytes();
            owner.group = ConversationGroup.create(owner.identity, gid);
            owner.conn.request(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, gid)).get(30, TimeUnit.SECONDS);
            Frame claim = Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0);
            for (Device d : members.subList(1, members.size())) {
                claim = claim.with(Tag.DEVICE, d.creds.device().toString());
            }
            Frame kps = owner.conn.request(claim).get(30, TimeUnit.SECONDS);
            ConversationGroup.PendingCommit add = owner.group.commitAdd(kps.all(Tag.KEY_PACKAGE));
            Frame commit = Frame.of(FrameType.COMMIT, 0).with(Tag.GROUP_ID, gid).with(Tag.EPOCH, 0)
                    .with(Tag.PAYLOAD, add.commit()).with(Tag.WELCOME, add.welcome())
                    .withEach(Tag.ADDED, add.added().stream().map(Object::toString).toList());
            owner.conn.request(commit).get(30, TimeUnit.SECONDS);
            owner.group.accept(add);
            for (Device d : members.subList(1, members.size())) {
                if (!d.welcomed.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no Welcome");
                }
                d.group = ConversationGroup.join(d.identity, d.bundle, d.welcomes.get(0).bytes(Tag.WELCOME));
            }
        }
        System.out.printf("%d conversations of %d set up in %.1f s%n", m, size, (System.nanoTime() - t0) / 1e9);

        // The device listener closes connections idle for 120 s and the SDK sends no pings: a repeated HELLO
        // (answered with an error, no database work) keeps the connections alive through a slow set-up.
        java.util.concurrent.ScheduledExecutorService keepalive = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        keepalive.scheduleAtFixedRate(() -> devices.forEach(d -> d.conn.request(Frame.of(FrameType.HELLO, 0))),
                30, 30, TimeUnit.SECONDS);
        for (int round = 1; round <= rounds; round++) {
            System.out.printf("round %d%n", round);
            latency.reset();
            delivered.set(0);
            sendRound(devices, n, k, window, size, latency, sentAt, delivered);
        }
        keepalive.shutdownNow();
        devices.forEach(d -> d.conn.close());
    }

    private static void sendRound(List<Device> devices, int n, int k, int window, int size, Histogram latency,
                                  Map<ByteBuffer, Long> sentAt, AtomicLong delivered) throws Exception {
        byte[] body = new byte[1024];
        List<List<Frame>> outgoing = new ArrayList<>();
        for (Device d : devices) {
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                ByteBuffer.wrap(body).putInt(i);
                frames.add(Frame.of(FrameType.SEND, 0).with(Tag.GROUP_ID, d.group.groupId()).with(Tag.EPOCH, d.group.epoch())
                        .with(Tag.PAYLOAD, d.group.protect(body)));
            }
            outgoing.add(frames);
        }
        long expected = (long) n * k * (size - 1);
        System.out.printf("pre-encrypted %d messages of 1 KiB; expecting %d deliveries%n", n * k, expected);

        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Map<String, Integer> refusals = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        java.util.concurrent.ExecutorService senderThreads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < n; i++) {
            Device d = devices.get(i);
            List<Frame> frames = outgoing.get(i);
            // One thread per sending device: on two cores the common pool runs one or two senders at a time.
            senders.add(CompletableFuture.runAsync(() -> {
                Semaphore inFlight = new Semaphore(window);
                for (Frame f : frames) {
                    inFlight.acquireUninterruptibly();
                    try {
                        sentAt.put(ByteBuffer.wrap(ConversationStoreDigest.of(f.bytes(Tag.PAYLOAD))), System.nanoTime());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    d.conn.request(f).whenComplete((ok, e) -> {
                        (e == null ? accepted : refused).incrementAndGet();
                        if (e != null) {
                            refusals.merge(String.valueOf(e.getCause() == null ? e : e.getCause()), 1, Integer::sum);
                        }
                        inFlight.release();
                    });
                }
                inFlight.acquireUninterruptibly(window);
            }, senderThreads));
        }
        CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        senderThreads.shutdown();
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long reachable = accepted.get() * (size - 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (delivered.get() < reachable && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        double allSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("accepted %d (refused %d) in %.2f s = %.0f messages/s accepted; %d of %d deliveries in %.2f s = %.0f deliveries/s%n",
                accepted.get(), refused.get(), sendSeconds, accepted.get() / sendSeconds, delivered.get(), expected, allSeconds,
                delivered.get() / allSeconds);
        if (!refusals.isEmpty()) {
            System.out.println("refusals: " + refusals);
        }
        System.out.printf("delivery latency (send -> DELIVER): p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d samples)%n",
                latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
                latency.getMaxValue() / 1000.0, latency.getTotalCount());
    }

    /** SHA-256, as the server's replay digest. */
    static final class ConversationStoreDigest {
        static byte[] of(byte[] payload) {
            return ConversationStore.sha256(payload);
        }
    }
}
