package org.wardline.bench.server;

import io.vertx.core.json.JsonObject;
import org.wardline.server.WardlineServer;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.dev.DevEnvironment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server under test, in its own JVM: a dev-mode server (embedded PostgreSQL, s3proxy, clamd, all on
 * loopback and free ports) started exactly as {@code wardline dev} starts one. It prints one line
 * {@code @@bench ready {...}} with its ports and the s3proxy's endpoint, then answers commands on stdin, one a
 * line, each with one {@code @@bench} line: {@code stats} (heap used, heap high-water since the last
 * {@code reset-peak}, resident set size), {@code gc-stats} (the same after three full collections),
 * {@code reset-peak}, {@code account} (a new clinician with TOTP set up, see {@link BenchAccounts}), {@code quit} (stops the server and its services; end of input does the same).
 *
 * <p>Arguments: the data directory. The environment (for example {@code WARDLINE_UPLOADS_MAX_BYTES}) is read as
 * {@code wardline dev} reads it.
 */
public final class ServerProcess {
    static final String MARKER = "@@bench ";

    private ServerProcess() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream control = System.out;
        Path data = Path.of(args[0]);
        DevEnvironment dev = DevEnvironment.start(data, new DevEnvironment.Ports(0, 0, 0), System.getenv());
        WardlineServer server;
        try {
            server = WardlineServer.start(dev.config());
        } catch (RuntimeException e) {
            dev.close();
            throw e;
        }
        BenchAccounts accounts;
        try {
            accounts = new BenchAccounts(server);
        } catch (Exception e) {
            server.close();
            dev.close();
            throw new IllegalStateException("cannot prepare benchmark accounts", e);
        }
        HeapPeak peak = new HeapPeak();
        Thread sampler = Thread.ofPlatform().daemon().name("bench-heap-sampler").start(peak);
        WardlineConfig.S3 s3 = dev.config().s3();
        JsonObject ready = new JsonObject()
                .put("pid", ProcessHandle.current().pid())
                .put("publicPort", server.publicPort())
                .put("devicePort", server.devicePort())
                .put("opsPort", server.opsPort())
                .put("rootCertificate", dev.config().pki().directory().resolve("root-ca.crt").toString())
                .put("rootFingerprint", server.certificateAuthority().rootFingerprint())
                .put("s3Endpoint", s3.endpoint().toString())
                .put("s3Region", s3.region())
                .put("s3AccessKey", s3.accessKey())
                .put("s3SecretKey", s3.secretKey().reveal())
                .put("clamd", dev.clamd().isPresent());
        control.println(MARKER + "ready " + ready.encode());
        control.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                switch (line) {
                    case "stats" -> control.println(MARKER + "stats " + stats(peak).encode());
                    case "gc-stats" -> {
                        fullGc();
                        control.println(MARKER + "stats " + stats(peak).encode());
                    }
                    case "account" -> {
                        try {
                            control.println(MARKER + "account " + accounts.create().encode());
                        } catch (Exception e) {
                            control.println(MARKER + "error account: " + e.getClass().getSimpleName());
                        }
                    }
                    case "reset-peak" -> {
                        peak.reset();
                        control.println(MARKER + "ok");
                    }
                    default -> control.println(MARKER + "error unknown command");
                }
                control.flush();
            }
        } finally {
            peak.stop.set(true);
            sampler.interrupt();
            server.close();
            dev.close();
        }
        control.println(MARKER + "stopped");
        control.flush();
        System.exit(0);
    }

    private static JsonObject stats(HeapPeak peak) {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new JsonObject().put("heapUsed", used).put("heapPeak", Math.max(used, peak.max.get()))
                .put("heapMax", Runtime.getRuntime().maxMemory()).put("rss", residentSetBytes())
                .put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
    }

    private static void fullGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** VmRSS of this process from /proc/self/status (Linux), in bytes; -1 where there is no /proc. */
    static long residentSetBytes() {
        return ResidentSet.of(Path.of("/proc/self/status"));
    }

    /** Heap used, polled every 10 ms: the concurrent figure (the sum of per-pool peaks over-counts). */
    private static final class HeapPeak implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong max = new AtomicLong();

        void reset() {
            max.set(0);
        }

        @Override
        public void run() {
            var memory = ManagementFactory.getMemoryMXBean();
            while (!stop.get()) {
                max.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Reads VmRSS from a /proc status file. */
    static final class ResidentSet {
        private ResidentSet() {
        }

        static long of(Path status) {
            if (!Files.isReadable(status)) {
                return -1;
            }
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        String kb = line.substring("VmRSS:".length()).trim().split("\\s+")[0];
                        return Long.parseLong(kb) * 1024;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
            return -1;
        }
    }
}
