package org.wardline.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.wardline.bench.connections.ConnectionsBench;
import org.wardline.bench.dlp.DlpBench;
import org.wardline.bench.handshake.HandshakeBench;
import org.wardline.bench.jmh.JmhRun;
import org.wardline.bench.relay.RelayBench;
import org.wardline.bench.server.ChildServer;
import org.wardline.bench.upload.UploadBench;
import org.wardline.server.config.WardlineConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code wardline bench relay|connections|upload|handshake|dlp|all|jmh}. */
@Command(name = "wardline bench", mixinStandardHelpOptions = true,
        description = "Measure Wardline on this machine: each benchmark starts what it needs, prints a table"
                + " (or --json) and stops it again.",
        subcommands = {BenchCommand.Relay.class, BenchCommand.Connections.class, BenchCommand.Upload.class,
                BenchCommand.Handshake.class, BenchCommand.Dlp.class, BenchCommand.All.class, BenchCommand.Jmh.class})
public final class BenchCommand implements Runnable {
    static final int EXIT_FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "org/wardline/bench/logback-bench.xml");
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new BenchCommand()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("wardline bench: failed: " + e);
            for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                cmd.getErr().println("  caused by " + cause);
            }
            return EXIT_FAILED;
        });
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every benchmark takes. */
    static final class Common {
        @Option(names = "--json", description = "Print the results as one JSON object instead of a table.")
        boolean json;
        @Option(names = "--json-file", description = "Also write the results as JSON to this file.")
        Path jsonFile;
        @Option(names = "--server-heap", defaultValue = "1g", description = "-Xmx of the server under test (default ${DEFAULT-VALUE}).")
        String serverHeap;
        @Option(names = "--work-dir", description = "Where servers keep their data (default: a new temporary folder, deleted after).")
        Path workDir;
    }

    /** One benchmark run against what {@code run} starts; results printed as a table or JSON. */
    abstract static class BenchRun implements Callable<Integer> {
        @Mixin
        Common common;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract List<BenchResult> measure(Path workDir, Progress progress) throws Exception;

        @Override
        public Integer call() throws Exception {
            Path work = common.workDir != null ? Files.createDirectories(common.workDir) : Files.createTempDirectory("wardline-benchrun-");
            List<BenchResult> results;
            try (Progress progress = Progress.onStderr()) {
                results = measure(work, progress);
            } finally {
                if (common.workDir == null) {
                    deleteTree(work);
                }
            }
            print(spec.commandLine().getOut(), results, common.json);
            if (common.jsonFile != null) {
                Files.writeString(common.jsonFile, toJson(results).encodePrettily());
            }
            boolean failed = results.stream().anyMatch(r -> r.targets().stream().anyMatch(t -> t.description().equals("completed")));
            return failed ? EXIT_FAILED : 0;
        }

        ChildServer server(Path work, Map<String, String> env) throws Exception {
            return ChildServer.start(work, env, common.serverHeap);
        }
    }

    static void print(PrintStream out, List<BenchResult> results, boolean json) {
        if (json) {
            out.println(toJson(results).encodePrettily());
        } else {
            out.println(machine());
            out.println();
            results.forEach(r -> r.printTable(out));
        }
        out.flush();
    }

    static void print(java.io.PrintWriter out, List<BenchResult> results, boolean json) {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8);
        print(ps, results, json);
        out.print(buffer.toString(java.nio.charset.StandardCharsets.UTF_8));
        out.flush();
    }

    static JsonObject toJson(List<BenchResult> results) {
        JsonArray array = new JsonArray();
        results.forEach(r -> array.add(r.toJson()));
        return new JsonObject().put("machine", machine()).put("results", array);
    }

    /** Cores, memory, OS and JVM: what a reader needs to compare figures. */
    static String machine() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        long memory = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : -1;
        return String.format(java.util.Locale.ROOT, "%d cores, %.1f GiB, %s %s, Java %s (%s), load average %.2f",
                Runtime.getRuntime().availableProcessors(), memory / (double) (1L << 30), os.getName(), os.getVersion(),
                Runtime.version(), System.getProperty("java.vm.vendor"), os.getSystemLoadAverage());
    }

    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("wardline bench: could not delete " + root + ": " + e.getMessage());
        }
    }

    /** Relay options, shared by {@code relay} and {@code all}. */
    static final class RelayOptions {
        @Option(names = "--devices", defaultValue = "200", description = "Devices (default ${DEFAULT-VALUE}).")
        int devices;
        @Option(names = "--conversations", defaultValue = "20", description = "Conversations, of equal size (default ${DEFAULT-VALUE}).")
        int conversations;
        @Option(names = "--messages", defaultValue = "20", description = "Messages each device sends (default ${DEFAULT-VALUE}).")
        int messages;
        @Option(names = "--window", defaultValue = "4", description = "Sends in flight per device (default ${DEFAULT-VALUE}).")
        int window;
        @Option(names = "--size", defaultValue = "1024", description = "Message size in bytes before encryption (default ${DEFAULT-VALUE}).")
        int size;

        RelayBench.Options options() {
            return new RelayBench.Options(devices, conversations, messages, window, size);
        }
    }

    static final class ConnectionOptions {
        @Option(names = "--connections", defaultValue = "2000", description = "Idle connections (default ${DEFAULT-VALUE}).")
        int connections;
        @Option(names = "--connection-devices", defaultValue = "20", description = "Devices they come from (default ${DEFAULT-VALUE}).")
        int devices;
        @Option(names = "--parallel", defaultValue = "16", description = "Connections opened at a time (default ${DEFAULT-VALUE}).")
        int parallel;
    }

    static final class UploadOptions {
        @Option(names = "--upload-mib", defaultValue = "256", description = "File size in MiB (default ${DEFAULT-VALUE}).")
        long mib;
        @Option(names = "--upload-runs", defaultValue = "3", description = "Runs each way (default ${DEFAULT-VALUE}).")
        int runs;
        @Option(names = "--upload-server-heap", defaultValue = "256m",
                description = "-Xmx of the server under test for uploads: smaller than the file, so a heap that grows with the file fails (default ${DEFAULT-VALUE}).")
        String serverHeap;
    }

    static final class HandshakeOptions {
        @Option(names = "--seconds", defaultValue = "5", description = "Seconds per s_time round (default ${DEFAULT-VALUE}).")
        int seconds;
        @Option(names = "--rounds", defaultValue = "3", description = "Alternating rounds after a warm-up (default ${DEFAULT-VALUE}).")
        int rounds;
        @Option(names = "--engine", defaultValue = "AUTO", description = "TLS engine: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
        WardlineConfig.TlsEngine engine;
    }

    static final class DlpOptions {
        static final int PDF_CHARS = 200_000;

        @Option(names = "--text-mb", defaultValue = "16", description = "MB of synthetic notes (default ${DEFAULT-VALUE}).")
        int textMb;
        @Option(names = "--pdfs", defaultValue = "20", description = "PDFs of about 200,000 characters (default ${DEFAULT-VALUE}).")
        int pdfs;
        @Option(names = "--dlp-runs", defaultValue = "5", description = "Runs (default ${DEFAULT-VALUE}).")
        int runs;
    }

    @Command(name = "relay", mixinStandardHelpOptions = true,
            description = "Message relay throughput and delivery latency over mutual TLS, durable inbox on.")
    static final class Relay extends BenchRun {
        @Mixin
        RelayOptions relay;

        @Override
        List<BenchResult> measure(Path work, Progress progress) throws Exception {
            try (ChildServer server = server(work, ChildServer.WITHOUT_CLAMD)) {
                return List.of(new RelayBench(relay.options(), progress).run(server));
            }
        }
    }

    @Command(name = "connections", mixinStandardHelpOptions = true,
            description = "Idle mutual-TLS connection capacity and server memory per connection.")
    static final class Connections extends BenchRun {
        @Mixin
        ConnectionOptions options;

        @Override
        List<BenchResult> measure(Path work, Progress progress) throws Exception {
            try (ChildServer server = server(work, ChildServer.WITHOUT_CLAMD)) {
                return List.of(new ConnectionsBench(options.connections, options.devices, options.parallel, progress).run(server));
            }
        }
    }

    @Command(name = "upload", mixinStandardHelpOptions = true,
            description = "Upload pipeline throughput against a raw S3 PUT to the same s3proxy, and the server's heap high-water.")
    static final class Upload extends BenchRun {
        @Mixin
        UploadOptions options;

        @Override
        List<BenchResult> measure(Path work, Progress progress) throws Exception {
            long size = options.mib << 20;
            try (ChildServer server = ChildServer.start(work, UploadBench.serverEnvironment(size), options.serverHeap)) {
                return List.of(new UploadBench(size, options.runs, progress).run(server));
            }
        }
    }

    @Command(name = "handshake", mixinStandardHelpOptions = true,
            description = "Full mutual-TLS handshakes per second against openssl s_server with the same certificate.")
    static final class Handshake extends BenchRun {
        @Mixin
        HandshakeOptions options;

        @Override
        List<BenchResult> measure(Path work, Progress progress) throws Exception {
            return List.of(new HandshakeBench(options.seconds, options.rounds, options.engine, progress)
                    .run(Files.createTempDirectory(work, "handshake-")));
        }
    }

    @Command(name = "dlp", mixinStandardHelpOptions = true, description = "DLP scan MB/s per core on plain text and on PDFs.")
    static final class Dlp extends BenchRun {
        @Mixin
        DlpOptions options;

        @Override
        List<BenchResult> measure(Path work, Progress progress) throws Exception {
            return List.of(new DlpBench(options.textMb * 1_000_000, options.pdfs, DlpOptions.PDF_CHARS, options.runs, progress).run());
        }
    }

    @Command(name = "all", mixinStandardHelpOptions = true, description = "relay, connections, upload, handshake and dlp in sequence.")
    static final class All extends BenchRun {
        @Mixin
        RelayOptions relay;
        @Mixin
        ConnectionOptions connections;
        @Mixin
        UploadOptions upload;
        @Mixin
        HandshakeOptions handshake;
        @Mixin
        DlpOptions dlp;

        @Override
        List<BenchResult> measure(Path work, Progress progress) throws Exception {
            List<BenchResult> results = new ArrayList<>();
            // One benchmark failing (a scanner timing out on a loaded machine) does not lose the others' figures.
            attempt(results, "relay", () -> {
                try (ChildServer server = server(work, ChildServer.WITHOUT_CLAMD)) {
                    return new RelayBench(relay.options(), progress).run(server);
                }
            });
            attempt(results, "connections", () -> {
                try (ChildServer server = server(work, ChildServer.WITHOUT_CLAMD)) {
                    return new ConnectionsBench(connections.connections, connections.devices, connections.parallel, progress).run(server);
                }
            });
            long size = upload.mib << 20;
            attempt(results, "upload", () -> {
                try (ChildServer server = ChildServer.start(work, UploadBench.serverEnvironment(size), upload.serverHeap)) {
                    return new UploadBench(size, upload.runs, progress).run(server);
                }
            });
            attempt(results, "handshake", () -> new HandshakeBench(handshake.seconds, handshake.rounds, handshake.engine, progress)
                    .run(Files.createTempDirectory(work, "handshake-")));
            attempt(results, "dlp", () -> new DlpBench(dlp.textMb * 1_000_000, dlp.pdfs, DlpOptions.PDF_CHARS, dlp.runs, progress).run());
            return results;
        }

        private static void attempt(List<BenchResult> results, String name, Callable<BenchResult> bench) {
            try {
                results.add(bench.call());
            } catch (Exception e) {
                System.err.println("wardline bench: " + name + " failed: " + e);
                results.add(new BenchResult(name, "failed").target("completed", false, String.valueOf(e.getMessage())));
            }
        }
    }

    @Command(name = "jmh", mixinStandardHelpOptions = true,
            description = "JMH micro-benchmarks: FrameCodec, MlsEnvelope.inspect, DLP detectors, audit hash-chain hashing.")
    static final class Jmh implements Callable<Integer> {
        @CommandLine.Parameters(arity = "0..1", defaultValue = "", description = "Only benchmarks whose name matches this pattern.")
        String include;
        @Option(names = {"-f", "--forks"}, defaultValue = "1", description = "Forked JVMs per benchmark (default ${DEFAULT-VALUE}).")
        int forks;
        @Option(names = {"-wi", "--warmups"}, defaultValue = "3", description = "Warm-up iterations (default ${DEFAULT-VALUE}).")
        int warmups;
        @Option(names = {"-i", "--iterations"}, defaultValue = "5", description = "Measured iterations (default ${DEFAULT-VALUE}).")
        int iterations;
        @Option(names = {"-s", "--seconds"}, defaultValue = "1", description = "Seconds per iteration (default ${DEFAULT-VALUE}).")
        int seconds;

        @Override
        public Integer call() throws Exception {
            List<String> jvmArgs = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
            if (Runtime.version().feature() >= 24) {
                jvmArgs.add("--sun-misc-unsafe-memory-access=allow");
            }
            return JmhRun.run(include, forks, warmups, iterations, seconds, jvmArgs).isEmpty() ? EXIT_FAILED : 0;
        }
    }
}
