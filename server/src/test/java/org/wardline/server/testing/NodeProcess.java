package org.wardline.server.testing;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Wardline node in a JVM of its own, started as the launcher starts it ({@code org.wardline.server.Main serve
 * --config FILE}) with this JVM's class path, its output in a file beside its configuration. {@link #kill()} is
 * kill -9 ({@link Process#destroyForcibly()}): no shutdown hook runs, nothing leaves the cluster cleanly.
 */
public final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final List<String> command;
    private final int devicePort;
    private final int opsPort;

    private NodeProcess(Process process, Path log, List<String> command, int devicePort, int opsPort) {
        this.process = process;
        this.log = log;
        this.command = command;
        this.devicePort = devicePort;
        this.opsPort = opsPort;
    }

    /** Writes {@code config} to {@code dir/name.yaml} and starts {@code wardline serve} on it; does not wait. */
    public static NodeProcess start(Path dir, String name, Map<String, Object> config, int devicePort, int opsPort) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path file = dir.resolve(name + ".yaml");
        Path log = dir.resolve(name + ".log");
        try {
            Files.writeString(file, new Yaml(options).dump(config));
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
            if (Runtime.version().feature() >= 24) {
                command.add("--sun-misc-unsafe-memory-access=allow");
            }
            command.addAll(List.of("-Dwardline.home=" + System.getProperty("wardline.home", "."),
                    "-cp", System.getProperty("java.class.path"), "org.wardline.server.Main", "serve", "--config",
                    file.toString()));
            return launch(command, log, devicePort, opsPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static NodeProcess launch(List<String> command, Path log, int devicePort, int opsPort) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new NodeProcess(process, log, List.copyOf(command), devicePort, opsPort);
    }

    /** The same node started again (same configuration and ports) once this one is gone; does not wait. */
    public NodeProcess again() {
        if (process.isAlive()) {
            throw new IllegalStateException("the node still runs");
        }
        try {
            return launch(command, log, devicePort, opsPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the node's readiness answers 200; fails with the end of its output when it died or took too long. */
    public void awaitReady(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (readyStatus() != 200) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("node " + log.getFileName() + " did not become ready (alive: "
                        + process.isAlive() + "):\n" + tail());
            }
            Thread.sleep(200);
        }
    }

    /** The node's {@code /health/ready} status on its ops listener, or -1 when it does not answer. */
    public int readyStatus() {
        return readyStatus(opsPort);
    }

    /** {@code /health/ready} on the ops listener at {@code port} (plain HTTP on loopback), or -1 without an answer. */
    public static int readyStatus(int port) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public int devicePort() {
        return devicePort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
