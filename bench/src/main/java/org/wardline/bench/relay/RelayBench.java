package org.wardline.bench.relay;

import org.HdrHistogram.Histogram;
import org.wardline.bench.BenchResult;
import org.wardline.bench.Progress;
import org.wardline.bench.server.BenchDevices;
import org.wardline.bench.server.ChildServer;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.MessagingException;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Message relay: {@code devices} enrolled devices in {@code conversations} MLS groups of equal size, each device
 * sending {@code perDevice} application messages of {@code size} bytes, pre-encrypted before the clock starts
 * (the server never decrypts, so this measures the relay: mutual TLS, frame parsing, epoch check, the durable
 * PostgreSQL inbox, fan-out, DELIVER, ACK). At most {@code window} sends per device are in flight.
 *
 * <p>Reported: messages accepted per second (SEND answered), deliveries per second, and the delivery latency
 * from SEND to DELIVER at each recipient, recorded once per (message, recipient) in an HdrHistogram. A send the
 * server refused is counted under its protocol error code ({@code request.rate_limited}, a stale epoch…), apart
 * from a lost one (no answer: connection lost or timed out). CPU seconds of the generator (this JVM) and of the
 * server (its JVM and, separately, its PostgreSQL) over the send phase show which side is busy.
 *
 * <p>The generator must not be the bottleneck: every device sends from its own virtual thread (on the common
 * pool, two cores let only one or two devices send at a time) and acknowledges deliveries in batches.
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

    /** Where devices come from: each call enrolls a new device and returns its messaging credentials. */
    @FunctionalInterface
    public interface DeviceSource {
        DeviceCredentials next() throws Exception;
    }

    /** CPU seconds used so far by the server under test (JVM, database); {@link Double#NaN} when it cannot be told apart. */
    public record ServerCpu(DoubleSupplier jvm, DoubleSupplier children) {
        public static final ServerCpu UNKNOWN = new ServerCpu(() -> Double.NaN, () -> Double.NaN);

        /** A server in its own process; its PostgreSQL, the processes whose command line names its data directory. */
        public static ServerCpu process(long pid, java.nio.file.Path dataDir) {
            return new ServerCpu(() -> ProcessCpu.of(pid), () -> ProcessCpu.processesUsing(dataDir, pid));
        }
    }

    /** Against a server in its own JVM (as {@code wardline bench relay} runs it). */
    public BenchResult run(ChildServer server) throws Exception {
        BenchDevices enrollment = new BenchDevices(server);
        return run(enrollment::credentials, ServerCpu.process(server.pid(), server.dataDir()));
    }

    /** Against devices from {@code source} (one server or the nodes of a cluster). */
    public BenchResult run(DeviceSource source, ServerCpu serverCpu) throws Exception {
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
                        RelayDevice d = RelayDevice.connect(source.next(), ledger);
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
            return send(devices, outgoing, ledger, groupSize - 1, serverCpu);
        } finally {
            devices.forEach(RelayDevice::close);
        }
    }

    /** A SEND frame and the ciphertext it carries (what the recipients' DELIVER frames will carry). */
    private record Outgoing(Frame frame, byte[] payload) {
    }

    private BenchResult send(List<RelayDevice> devices, List<List<Outgoing>> outgoing, DeliveryLedger ledger, int recipients,
                             ServerCpu serverCpu) throws Exception {
        int window = options.window();
        progress.phase("relay: sending", "msg");
        double clientCpu0 = ProcessCpu.self();
        double serverCpu0 = serverCpu.jvm().getAsDouble();
        double childCpu0 = serverCpu.children().getAsDouble();
        long start = System.nanoTime();
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
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
                                ledger.recordAccepted();
                                progress.add(1);
                            } else if (refusalCode(e) != null) {
                                ledger.refused(f.payload(), refusalCode(e));
                            } else {
                                ledger.recordLost();
                            }
                            inFlight.release();
                        });
                    }
                    inFlight.acquireUninterruptibly(window);
                }, threads));
            }
            CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long reachable = ledger.accepted() * recipients;
        progress.phase("relay: waiting for the last deliveries", "");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ledger.delivered() < reachable && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        double allSeconds = (System.nanoTime() - start) / 1e9;
        double clientCpu = ProcessCpu.self() - clientCpu0;
        double serverJvmCpu = serverCpu.jvm().getAsDouble() - serverCpu0;
        double serverChildCpu = serverCpu.children().getAsDouble() - childCpu0;
        long accepted = ledger.accepted();
        Histogram latency = ledger.latency();
        long sent = (long) devices.size() * options.perDevice();
        String setup = String.format(Locale.ROOT,
                "%d devices in %d conversations of %d, %d messages of %d B each, %d in flight per device, mutual TLS, durable inbox",
                devices.size(), options.conversations(), options.groupSize(), options.perDevice(), options.size(), options.window());
        BenchResult result = new BenchResult("relay", setup)
                .figure("messagesSent", "messages sent", sent, "msg")
                .figure("messagesAccepted", "messages accepted", accepted, "msg")
                .figure("messagesRefused", "messages refused (answered with an error)", ledger.refused(), "msg");
        ledger.refusals().forEach((code, n) -> result.figure("refused." + code, "  refused: " + code, n, "msg"));
        result.figure("messagesLost", "messages lost (no answer: connection lost, timeout)", ledger.lost(), "msg")
                .figure("acceptedPerSecond", "accepted per second", accepted / sendSeconds, "msg/s")
                .figure("deliveriesExpected", "deliveries expected", reachable, "deliveries")
                .figure("deliveries", "deliveries (each message at each recipient once)", ledger.delivered(), "deliveries")
                .figure("messagesFullyDelivered", "messages delivered to every recipient", ledger.fullyDelivered(), "msg")
                .figure("redeliveries", "redeliveries (same message, same recipient)", ledger.duplicates(), "deliveries")
                .figure("deliveriesOfRefused", "deliveries of refused messages (must be 0)", ledger.deliveredRefused(), "deliveries")
                .figure("deliveriesPerSecond", "deliveries per second", ledger.delivered() / allSeconds, "deliveries/s")
                .figure("latencySamples", "latency samples", latency.getTotalCount(), "samples")
                .figure("latencyP50Ms", "delivery latency p50", latency.getValueAtPercentile(50) / 1000.0, "ms")
                .figure("latencyP95Ms", "delivery latency p95", latency.getValueAtPercentile(95) / 1000.0, "ms")
                .figure("latencyP99Ms", "delivery latency p99", latency.getValueAtPercentile(99) / 1000.0, "ms")
                .figure("latencyMaxMs", "delivery latency max", latency.getMaxValue() / 1000.0, "ms");
        ledger.ackRefusals().forEach((code, n) -> result.figure("ackRefused." + code, "ACK frames refused: " + code, n, "frames"));
        result.figure("elapsedSeconds", "send phase, until the last delivery", allSeconds, "s")
                .figure("clientCpuSeconds", "CPU: load generator (this JVM)", clientCpu, "s");
        if (!Double.isNaN(serverJvmCpu)) {
            result.figure("serverCpuSeconds", "CPU: server JVM", serverJvmCpu, "s")
                    .figure("serverChildCpuSeconds", "CPU: server's PostgreSQL", serverChildCpu, "s");
        }
        double rate = accepted / sendSeconds;
        double p99 = latency.getValueAtPercentile(99) / 1000.0;
        result.target(">= 20,000 msg/s with p99 < 50 ms", rate >= 20_000 && p99 < 50,
                String.format(Locale.ROOT, "%,.0f msg/s, p99 %.1f ms", rate, p99));
        if (ledger.refused() > 0 || ledger.lost() > 0) {
            result.target("no message refused or lost", false, "refused " + ledger.refusals() + ", lost " + ledger.lost());
        }
        return result;
    }

    /** The protocol error code of a refusal, or null when the request got no answer (connection lost, timeout). */
    static String refusalCode(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof MessagingException m && !MessagingException.CONNECTION_LOST.equals(m.code())) {
            return m.code();
        }
        return null;
    }
}
