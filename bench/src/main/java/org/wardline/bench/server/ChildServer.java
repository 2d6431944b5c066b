package org.wardline.bench.server;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link ServerProcess} in a child JVM on this JVM's class path and talks to it over its stdin and
 * stdout. The server runs apart from the load generator so that its memory (resident set, heap, high-water) is
 * its own and the client's threads, buffers and garbage do not count against it. Everything else the child
 * prints (the server's JSON log) goes to {@code server.log} in the data directory.
 */
public final class ChildServer implements AutoCloseable {
    /**
     * The environment for a server that needs no malware scanner (relay, connections): {@code WARDLINE_CLAMD}
     * names a path that cannot be an executable, so dev mode starts no clamd (and would refuse uploads).
     */
    public static final Map<String, String> WITHOUT_CLAMD = Map.of("WARDLINE_CLAMD", "/dev/null/clamd");

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path dataDir;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final JsonObject ready;
    private final Thread stopOnExit = new Thread(this::stop, "bench-server-stop");

    private ChildServer(Process process, Path dataDir) throws IOException, InterruptedException {
        this.process = process;
        this.dataDir = dataDir;
        this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        Path log = dataDir.resolve("server.log");
        Thread.ofPlatform().daemon().name("bench-server-output").start(() -> pump(log));
        String first = answers.poll(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (first == null || !first.startsWith("ready ")) {
            process.destroyForcibly();
            throw new IllegalStateException("the server under test did not start (" + (first == null ? "timed out" : first)
                    + "); see " + log);
        }
        this.ready = new JsonObject(first.substring("ready ".length()));
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts a server with a fresh data directory under {@code parent}; {@code env} is added to the child's
     * environment, {@code heap} is its {@code -Xmx} (for example "1g").
     */
    public static ChildServer start(Path parent, Map<String, String> env, String heap) throws IOException, InterruptedException {
        Path dataDir = Files.createTempDirectory(parent, "server-");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Xmx" + heap);
        // Extra JVM options for the server under test only, e.g. a JFR recording: -XX:StartFlightRecording=...
        String extra = System.getenv("WARDLINE_BENCH_SERVER_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        for (String property : List.of("wardline.home", "wardline.repo.root")) {
            String value = System.getProperty(property);
            if (value != null) {
                command.add("-D" + property + "=" + value);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ServerProcess.class.getName());
        command.add(dataDir.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(dataDir.resolve("server.err").toFile());
        builder.environment().putAll(env);
        return new ChildServer(builder.start(), dataDir);
    }

    private void pump(Path log) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer file = Files.newBufferedWriter(log)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(ServerProcess.MARKER)) {
                    answers.add(line.substring(ServerProcess.MARKER.length()));
                } else {
                    file.write(line);
                    file.write('\n');
                }
            }
        } catch (IOException e) {
            answers.add("error " + e.getClass().getSimpleName());
        }
    }

    private synchronized String ask(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
            String answer = answers.poll(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (answer == null || answer.startsWith("error")) {
                throw new IllegalStateException("server under test: " + command + " -> " + (answer == null ? "no answer" : answer));
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Heap and resident set now. */
    public ServerStats stats() {
        return ServerStats.of(new JsonObject(ask("stats").substring("stats ".length())));
    }

    /** Heap and resident set after full collections: what stays. */
    public ServerStats statsAfterGc() {
        return ServerStats.of(new JsonObject(ask("gc-stats").substring("stats ".length())));
    }

    /** A new clinician account: userId, username, password and recovery codes (for devices to sign in with). */
    public JsonObject newAccount() {
        return new JsonObject(ask("account").substring("account ".length()));
    }

    /** Starts a new heap high-water mark. */
    public void resetPeak() {
        ask("reset-peak");
    }

    public long pid() {
        return ready.getLong("pid");
    }

    public int publicPort() {
        return ready.getInteger("publicPort");
    }

    public int devicePort() {
        return ready.getInteger("devicePort");
    }

    public int opsPort() {
        return ready.getInteger("opsPort");
    }

    public Path rootCertificate() {
        return Path.of(ready.getString("rootCertificate"));
    }

    public String rootFingerprint() {
        return ready.getString("rootFingerprint");
    }

    public boolean hasClamd() {
        return ready.getBoolean("clamd");
    }

    /** The s3proxy the server stores into: endpoint, region, access key, secret key. */
    public S3Endpoint s3() {
        return new S3Endpoint(ready.getString("s3Endpoint"), ready.getString("s3Region"), ready.getString("s3AccessKey"),
                ready.getString("s3SecretKey"));
    }

    public record S3Endpoint(String endpoint, String region, String accessKey, String secretKey) {
        @Override
        public String toString() {
            return "S3Endpoint[" + endpoint + "]";
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the server and its embedded services (also when this JVM is stopped with Ctrl-C). */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it stops the server
        }
        stop();
    }

    private void stop() {
        try {
            synchronized (this) {
                commands.write("quit\n");
                commands.flush();
            }
        } catch (IOException alreadyGone) {
            // the process has ended; nothing to tell it
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
