package org.wardline.server.delivery.bench;

import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.protocol.Secret;
import org.wardline.server.WardlineServer;
import org.wardline.server.dev.DevEnvironment;
import org.wardline.server.testing.EnrolledDevices;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Server memory per idle mutual-TLS device connection. Starts a dev-mode server in this JVM with the TLS engine
 * asked for, then has {@link IdleClients} (another JVM, so no client memory is counted here) open {@code count}
 * WebSockets that each said HELLO, and compares this JVM before and after: live heap after full GCs, and resident
 * memory outside the heap (RSS, with the heap committed and touched up front by {@code -Xms = -Xmx
 * -XX:+AlwaysPreTouch}, so RSS growth is native memory: TLS engine state, direct buffers, socket structures).
 * A warm-up round of connections runs first, so classes, pools and caches are not charged to the connections.
 *
 * <p>Arguments: {@code count engine(jdk|openssl) rounds [deflate]} ({@code deflate}: the clients ask for
 * permessage-deflate). Run with {@code -Xms1g -Xmx1g -XX:+AlwaysPreTouch}.
 */
public final class IdleConnectionBench {
    private IdleConnectionBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        String engine = args.length > 1 ? args[1] : "openssl";
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        boolean deflate = args.length > 3 && "deflate".equals(args[3]);
        Path data = Files.createTempDirectory("wardline-idle-");
        DevEnvironment dev = DevEnvironment.start(data, new DevEnvironment.Ports(0, 0, 0), Map.of("WARDLINE_TLS_ENGINE", engine));
        WardlineServer server = WardlineServer.start(dev.config());
        try {
            DeviceIdentity identity = EnrolledDevices.enroll(server, UUID.randomUUID()).identity();
            Path p12 = data.resolve("bench-device.p12");
            identity.save(p12, Secret.of("bench-pass"));
            Path root = dev.config().pki().directory().resolve("root-ca.crt");
            List<String> client = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    IdleClients.class.getName(), "127.0.0.1", Integer.toString(server.devicePort()), p12.toString(),
                    "bench-pass", root.toString());
            String token = identity.accessToken().reveal();
            System.out.printf("engine %s, %d connections, %d rounds%s%n", engine, count, rounds,
                    deflate ? ", clients ask for permessage-deflate" : "");
            try (Clients warm = Clients.open(client, token, Math.min(count, 200), deflate)) {
                System.out.printf("warm-up: %d connections%n", warm.ready);
            }
            List<double[]> results = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                Thread.sleep(2000);
                Snapshot before = Snapshot.take();
                double[] perConnection;
                try (Clients c = Clients.open(client, token, count, deflate)) {
                    Snapshot after = Snapshot.take();
                    perConnection = new double[] {
                            (after.heap - before.heap) / 1024.0 / c.ready,
                            (after.rss - before.rss) / 1024.0 / c.ready,
                            (after.direct - before.direct) / 1024.0 / c.ready};
                    System.out.printf("round %d: %d connections; per connection: heap %.1f KiB, RSS outside the heap %.1f KiB"
                                    + " (of which JDK direct buffers %.1f KiB), total %.1f KiB%n", r + 1, c.ready,
                            perConnection[0], perConnection[1], perConnection[2], perConnection[0] + perConnection[1]);
                }
                results.add(perConnection);
            }
            double[] heap = results.stream().mapToDouble(x -> x[0]).sorted().toArray();
            double[] rss = results.stream().mapToDouble(x -> x[1]).sorted().toArray();
            double[] total = results.stream().mapToDouble(x -> x[0] + x[1]).sorted().toArray();
            System.out.printf("median per idle connection (%s): heap %.1f KiB, native %.1f KiB, total %.1f KiB%n",
                    engine, median(heap), median(rss), median(total));
        } finally {
            server.close();
            dev.close();
        }
        System.exit(0);
    }

    private static double median(double[] sorted) {
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /** Live heap after full GCs, resident set size and JDK direct-buffer memory of this JVM, in bytes. */
    private record Snapshot(long heap, long rss, long direct) {
        static Snapshot take() throws Exception {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(300);
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
            return new Snapshot(heap, residentBytes(), direct);
        }

        private static long residentBytes() throws Exception {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new IllegalStateException("no VmRSS in /proc/self/status");
        }
    }

    /** A running {@link IdleClients} process. */
    private static final class Clients implements AutoCloseable {
        final Process process;
        final int ready;

        private Clients(Process process, int ready) {
            this.process = process;
            this.ready = ready;
        }

        static Clients open(List<String> command, String token, int count, boolean deflate) throws Exception {
            List<String> cmd = new ArrayList<>(command);
            cmd.add(Integer.toString(count));
            if (deflate) {
                cmd.add("deflate");
            }
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put(IdleClients.TOKEN_VARIABLE, token);
            Process p = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ready ")) {
                    return new Clients(p, Integer.parseInt(line.substring(6).trim()));
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("the client process ended before its connections were ready");
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
