package org.wardline.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A clamd started and owned by Wardline, listening on loopback, with a configuration written by us.
 *
 * <p>clamd's defaults fail open: content over its size limits and encrypted archives come back clean. The
 * configuration written here turns on the alerts for both ({@code AlertExceedsMax}, {@code AlertEncrypted*})
 * and sizes the stream limit to the upload limit, so nothing clamd could not fully scan is reported clean.
 */
public final class ClamdProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClamdProcess.class);
    private static final Path SYSTEM_DATABASE = Path.of("/var/lib/clamav");
    /** Memory-backed file system for clamd's scratch files: an INSTREAM scan spools the whole plaintext there. */
    private static final Path MEMORY_SCRATCH = Path.of("/dev/shm");

    /** In the work directory while clamd runs: its pid, then its scratch directory. */
    static final String PID_FILE = "clamd.pid";

    private final Process process;
    private final int port;
    private final Path workDir;
    private final Path scratch;
    private final OrphanSentinel sentinel;
    private volatile boolean stopRequested;

    private ClamdProcess(Process process, int port, Path workDir, Path scratch, OrphanSentinel sentinel) {
        this.process = process;
        this.port = port;
        this.workDir = workDir;
        this.scratch = scratch;
        this.sentinel = sentinel;
    }

    /** The clamd binary: {@code WARDLINE_CLAMD} if set, else the usual Debian path, else the PATH. */
    public static Optional<Path> findBinary() {
        String override = System.getenv("WARDLINE_CLAMD");
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/sbin/clamd"), Path.of("/usr/local/sbin/clamd")));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "clamd"));
                }
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts clamd with its configuration, signatures and scratch space under {@code workDir}, and waits
     * until it answers PING.
     *
     * @param maxStreamBytes the largest stream Wardline will send, which becomes clamd's scan limits
     * @param useSystemSignatures also load the signature files found in /var/lib/clamav
     */
    public static ClamdProcess start(Path binary, Path workDir, long maxStreamBytes, boolean useSystemSignatures,
                                     Duration startTimeout) {
        return start(binary, workDir, FreePorts.pick(), maxStreamBytes, useSystemSignatures, startTimeout);
    }

    /**
     * As {@link #start(Path, Path, long, boolean, Duration)}, on a given port (a restart keeps the port the
     * server was configured with). A clamd an earlier run left on {@code workDir} is stopped first, and the
     * scratch directory it spooled plaintext into is removed.
     */
    public static ClamdProcess start(Path binary, Path workDir, int port, long maxStreamBytes, boolean useSystemSignatures,
                                     Duration startTimeout) {
        try {
            Files.createDirectories(workDir);
            removeLeftovers(workDir);
            Path db = workDir.resolve("db");
            Path tmp = scratchDirectory(workDir);
            Files.createDirectories(db);
            TestSignatures.install(db);
            if (useSystemSignatures) {
                linkSystemSignatures(db);
            }
            Path conf = workDir.resolve("clamd.conf");
            Files.writeString(conf, configuration(port, db, tmp, workDir.resolve("clamd.log"), maxStreamBytes));
            Process process = new ProcessBuilder(binary.toString(), "--config-file=" + conf)
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("clamd.out").toFile())
                    .start();
            Files.write(workDir.resolve(PID_FILE), List.of(Long.toString(process.pid()), tmp.toString()));
            ClamdProcess clamd = new ClamdProcess(process, port, workDir, tmp, OrphanSentinel.guard(process.pid(), "TERM"));
            clamd.awaitReady(startTimeout);
            return clamd;
        } catch (IOException e) {
            throw new UncheckedIOException("clamd did not start", e);
        }
    }

    /**
     * Where clamd spools streams while it scans them: an owner-only directory on the memory-backed /dev/shm, so
     * uploaded plaintext never rests on disk; under {@code workDir} (with a warning) only where there is none.
     */
    static Path scratchDirectory(Path workDir) throws IOException {
        if (Files.isDirectory(MEMORY_SCRATCH) && Files.isWritable(MEMORY_SCRATCH)) {
            return Files.createTempDirectory(MEMORY_SCRATCH, "wardline-clamd-",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        }
        LOG.warn("no memory-backed /dev/shm: clamd spools scanned streams under its work directory on disk");
        Path tmp = workDir.resolve("tmp");
        Files.createDirectories(tmp);
        return tmp;
    }

    /** Stops the clamd an earlier run left on {@code workDir} and removes the scratch directory it used. */
    static void removeLeftovers(Path workDir) throws IOException {
        Path pidFile = workDir.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        LeftoverProcess.stopIfRunning(pidFile, "clamd", "clamd");
        if (lines.size() > 1) {
            deleteScratch(Path.of(lines.get(1).trim()));
        }
        Files.deleteIfExists(pidFile);
    }

    /** clamd's scratch directory (its {@code TemporaryDirectory}). */
    public Path scratch() {
        return scratch;
    }

    static String configuration(int port, Path db, Path tmp, Path log, long maxStreamBytes) {
        // clamd takes sizes up to 4 GB; its own limit below the stream keeps headers and archives in range.
        long megabytes = Math.max(1, Math.min(4000, (maxStreamBytes + (1 << 20) - 1) >> 20));
        long scanMegabytes = Math.min(4000, megabytes * 4);
        return String.join("\n",
                "Foreground yes",
                "TCPSocket " + port,
                "TCPAddr 127.0.0.1",
                "DatabaseDirectory " + db.toAbsolutePath(),
                "TemporaryDirectory " + tmp.toAbsolutePath(),
                "LogFile " + log.toAbsolutePath(),
                "LogTime yes",
                "LogClean no",
                "MaxThreads 4",
                "MaxConnectionQueueLength 30",
                "ReadTimeout 120",
                "CommandReadTimeout 30",
                "SelfCheck 3600",
                "StreamMaxLength " + megabytes + "M",
                "MaxFileSize " + megabytes + "M",
                "MaxScanSize " + scanMegabytes + "M",
                "MaxRecursion 16",
                "MaxFiles 10000",
                "ScanArchive yes",
                "AlertExceedsMax yes",
                "AlertEncrypted yes",
                "AlertEncryptedArchive yes",
                "AlertEncryptedDoc yes",
                "AlertBrokenExecutables yes",
                "") ;
    }

    private static void linkSystemSignatures(Path db) throws IOException {
        if (!Files.isDirectory(SYSTEM_DATABASE)) {
            return;
        }
        try (Stream<Path> files = Files.list(SYSTEM_DATABASE)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".cvd") || name.endsWith(".cld")) {
                    Files.copy(f, db.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                close();
                throw new IllegalStateException("clamd exited with code " + process.exitValue()
                        + " during start; see " + workDir.resolve("clamd.out") + " and clamd.log");
            }
            if (ping("127.0.0.1", port, Duration.ofMillis(500))) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for clamd", e);
            }
        }
        close();
        throw new IllegalStateException("clamd did not answer PING within " + timeout.toSeconds() + " s");
    }

    /** True when a clamd at host:port answers {@code zPING} with {@code PONG} within the timeout. */
    public static boolean ping(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write("zPING\0".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(5);
            return "PONG\0".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process id of clamd itself. */
    public long pid() {
        return process.pid();
    }

    /** The process id of the sentinel that stops clamd should this JVM die. */
    public long sentinelPid() {
        return sentinel.pid();
    }

    /** Completes when clamd exits, for whatever reason. */
    public java.util.concurrent.CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** True once {@link #close()} was called: an exit then is no failure. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Stops clamd and empties its scratch directory, where it spools the plaintext it scans. */
    @Override
    public void close() {
        stopRequested = true;
        sentinel.close();
        try {
            stop();
        } finally {
            deleteScratch(scratch);
            try {
                Files.deleteIfExists(workDir.resolve(PID_FILE));
            } catch (IOException e) {
                LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName()).log("could not remove clamd's PID file");
            }
        }
    }

    /** Removes a scratch directory of ours on /dev/shm, with whatever plaintext a scan left in it. */
    static void deleteScratch(Path scratch) {
        if (!scratch.startsWith(MEMORY_SCRATCH) || !scratch.getFileName().toString().startsWith("wardline-clamd-")
                || !Files.isDirectory(scratch, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(scratch)) {
            for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName()).log("could not remove clamd's scratch directory");
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                LOG.warn("clamd did not stop within 10 s of SIGTERM; killing it");
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
