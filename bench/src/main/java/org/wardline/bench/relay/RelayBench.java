package org.wardline.bench.relay;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.wardline.bench.BenchResult;
import org.wardline.bench.Progress;
import org.wardline.bench.server.BenchDevices;
import org.wardline.bench.server.ChildServer;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Message relay: {@code devices} enrolled devices in {@code conversations} MLS groups of equal size, each device
 * sending {@code perDevice} application messages of {@code size} bytes, pre-encrypted before the clock starts
 * (the server never decrypts, so this measures the relay: mutual TLS, frame parsing, epoch check, the durable
 * PostgreSQL inbox, fan-out, DELIVER, ACK). At most {@code window} sends per device are in flight.
 *
 * <p>Reported: messages accepted per second (SEND answered), deliveries per second, and the delivery latency
 * from SEND to DELIVER at each recipient, recorded once per (message, recipient) in an HdrHistogram.
 */
public final class RelayBench {
    private static final int SETUP_THREADS = 8;
    private final Options options;
    private final Progress progress;

    public record Options(int devices, int conversations, int perDevice, int window, int size) {
        public Options {
            if (conversations < 1 || devices < 2 * conversations) {
                throw new IllegalArgumentException("need at least two devices per conversation");
            }
            if (perDevice < 1 || window < 1 || size < 1) {
                throw new IllegalArgumentException("messages per device, window and size must be positive");
            }
        }

        public int groupSize() {
            return devices / conversations;
        }
    }

    public RelayBench(Options options, Progress progress) {
        this.options = options;
        this.progress = progress;
    }

    public BenchResult run(ChildServer server) throws Exception {
        BenchDevices enrollment = new BenchDevices(server);
        DeliveryLedger ledger = new DeliveryLedger();
        int groupSize = options.groupSize();
        int used = groupSize * options.conversations();
        List<RelayDevice> devices = new ArrayList<>();
        try {
            progress.phase("relay: enrolling and connecting devices", "devices");
            // Enrollment waits on the server as much as it computes: a few at a time is faster on any machine.
            try (ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS)) {
                List<Future<RelayDevice>> connecting = new ArrayList<>();
                for (int i = 0; i < used; i++) {
                    connecting.add(pool.submit(() -> {
                        RelayDevice d = RelayDevice.connect(enrollment.credentials(), ledger);
                        progress.add(1);
                        return d;
                    }));
                }
                for (Future<RelayDevice> f : connecting) {
                    devices.add(f.get());
                }
            }
            progress.phase("relay: creating conversations", "conversations");
            for (int c = 0; c < options.conversations(); c++) {
                RelayDevice.formGroup(devices.subList(c * groupSize, (c + 1) * groupSize));
                progress.add(1);
            }
            progress.phase("relay: pre-encrypting messages", "msg");
            List<List<Outgoing>> outgoing = new ArrayList<>();
            byte[] body = new byte[options.size()];
            for (RelayDevice d : devices) {
                List<Outgoing> frames = new ArrayList<>();
                ConversationGroup group = d.group();
                for (int i = 0; i < options.perDevice(); i++) {
                    ByteBuffer.wrap(body).putInt(i);
                    byte[] payload = group.protect(body);
                    frames.add(new Outgoing(Frame.of(FrameType.SEND, 0).with(Tag.GROUP_ID, group.groupId())
                            .with(Tag.EPOCH, group.epoch()).with(Tag.PAYLOAD, payload), payload));
                    progress.add(1);
                }
                outgoing.add(frames);
            }
            return send(devices, outgoing, ledger, groupSize - 1);
        } finally {
            devices.forEach(RelayDevice::close);
        }
    }

    /** A SEND frame and the ciphertext it carries (what the recipients' DELIVER frames will carry). */
    private record Outgoing(Frame frame, byte[] payload) {
    }

    private BenchResult send(List<RelayDevice> devices, List<List<Outgoing>> outgoing, DeliveryLedger ledger, int recipients)
            throws Exception {
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Map<String, Integer> refusals = new ConcurrentHashMap<>();
        int window = options.window();
        progress.phase("relay: sending", "msg");
        long start = System.nanoTime();
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            RelayDevice d = devices.get(i);
            List<Outgoing> frames = outgoing.get(i);
            senders.add(CompletableFuture.runAsync(() -> {
                Semaphore inFlight = new Semaphore(window);
                for (Outgoing f : frames) {
                    inFlight.acquireUninterruptibly();
                    ledger.sent(f.payload(), recipients);
                    d.connection().request(f.frame()).whenComplete((ok, e) -> {
                        if (e == null) {
                            accepted.incrementAndGet();
                            progress.add(1);
                        } else {
                            refused.incrementAndGet();
                            refusals.merge(e.getCause() == null ? e.getClass().getSimpleName() : e.getCause().getClass().getSimpleName(),
                                    1, Integer::sum);
                        }
                        inFlight.release();
                    });
                }
                inFlight.acquireUninterruptibly(window);
            }));
        }
        CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long reachable = accepted.get() * recipients;
        progress.phase("relay: waiting for the last deliveries", "");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ledger.delivered() < reachable && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        double allSeconds = (System.nanoTime() - start) / 1e9;
        Histogram latency = ledger.latency();
        long sent = (long) devices.size() * options.perDevice();
        String setup = String.format(Locale.ROOT,
                "%d devices in %d conversations of %d, %d messages of %d B each, %d in flight per device, mutual TLS, durable inbox",
                devices.size(), options.conversations(), options.groupSize(), options.perDevice(), options.size(), options.window());
        BenchResult result = new BenchResult("relay", setup)
                .figure("messagesSent", "messages sent", sent, "msg")
                .figure("messagesAccepted", "messages accepted", accepted.get(), "msg")
                .figure("messagesRefused", "messages refused", refused.get(), "msg")
                .figure("acceptedPerSecond", "accepted per second", accepted.get() / sendSeconds, "msg/s")
                .figure("deliveriesExpected", "deliveries expected", reachable, "deliveries")
                .figure("deliveries", "deliveries (each message at each recipient once)", ledger.delivered(), "deliveries")
                .figure("messagesFullyDelivered", "messages delivered to every recipient", ledger.fullyDelivered(), "msg")
                .figure("redeliveries", "redeliveries (same message, same recipient)", ledger.duplicates(), "deliveries")
                .figure("deliveriesPerSecond", "deliveries per second", ledger.delivered() / allSeconds, "deliveries/s")
                .figure("latencySamples", "latency samples", latency.getTotalCount(), "samples")
                .figure("latencyP50Ms", "delivery latency p50", latency.getValueAtPercentile(50) / 1000.0, "ms")
                .figure("latencyP95Ms", "delivery latency p95", latency.getValueAtPercentile(95) / 1000.0, "ms")
                .figure("latencyP99Ms", "delivery latency p99", latency.getValueAtPercentile(99) / 1000.0, "ms")
                .figure("latencyMaxMs", "delivery latency max", latency.getMaxValue() / 1000.0, "ms");
        double rate = accepted.get() / sendSeconds;
        double p99 = latency.getValueAtPercentile(99) / 1000.0;
        result.target(">= 20,000 msg/s with p99 < 50 ms", rate >= 20_000 && p99 < 50,
                String.format(Locale.ROOT, "%,.0f msg/s, p99 %.1f ms", rate, p99));
        if (!refusals.isEmpty()) {
            result.target("no message refused", false, "refusals " + refusals);
        }
        return result;
    }

    /** The client's side of the count: when each message was sent, who got it, the latency histogram. */
    static final class DeliveryLedger {
        private final Histogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
        private final Map<ByteBuffer, Long> sentAt = new ConcurrentHashMap<>();
        private final Map<ByteBuffer, AtomicLong> waiting = new ConcurrentHashMap<>();
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong duplicates = new AtomicLong();
        private final AtomicLong unknown = new AtomicLong();
        private final AtomicLong complete = new AtomicLong();

        void sent(byte[] payload, int recipients) {
            ByteBuffer key = key(payload);
            waiting.put(key, new AtomicLong(recipients));
            sentAt.put(key, System.nanoTime());
        }

        /**
         * A DELIVER of {@code payload} reached a device whose own set of seen payloads is {@code seen}: recorded
         * once; a redelivery to the same device is counted but not recorded again.
         */
        void delivered(byte[] payload, java.util.Set<ByteBuffer> seen) {
            long now = System.nanoTime();
            ByteBuffer key = key(payload);
            Long t = sentAt.get(key);
            if (t == null) {
                unknown.incrementAndGet();
                return;
            }
            if (!seen.add(key)) {
                duplicates.incrementAndGet();
                return;
            }
            latency.recordValue(Math.max(1, (now - t) / 1000));
            delivered.incrementAndGet();
            if (waiting.get(key).decrementAndGet() == 0) {
                complete.incrementAndGet();
            }
        }

        static ByteBuffer key(byte[] payload) {
            return ByteBuffer.wrap(Digest.sha256(payload));
        }

        Histogram latency() {
            return latency;
        }

        long delivered() {
            return delivered.get();
        }

        long duplicates() {
            return duplicates.get();
        }

        long unknown() {
            return unknown.get();
        }

        long fullyDelivered() {
            return complete.get();
        }
    }

    static final class Digest {
        private Digest() {
        }

        static byte[] sha256(byte[] data) {
            try {
                return java.security.MessageDigest.getInstance("SHA-256").digest(data);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
