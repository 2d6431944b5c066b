package org.wardline.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A service process (PostgreSQL, clamd) that an earlier run on the same data directory left running, found
 * through the PID file in that directory. Starting a second one there fails (PostgreSQL waits for its
 * postmaster.pid, clamd cannot lock its log file), so the leftover is stopped first, with a message.
 */
public final class LeftoverProcess {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverProcess.class);
    private static final Duration GRACE = Duration.ofSeconds(20);

    private LeftoverProcess() {
    }

    /**
     * Stops the process named on the first line of {@code pidFile} if it is alive and its command's file name
     * starts with {@code command}, then removes the file. Returns the pid stopped, if any.
     */
    public static Optional<Long> stopIfRunning(Path pidFile, String command, String what) {
        Optional<Long> pid = readPid(pidFile);
        Optional<ProcessHandle> process = pid.flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> isCommand(p, command));
        if (process.isEmpty()) {
            return Optional.empty();
        }
        ProcessHandle p = process.get();
        System.err.println("wardline: stopping the " + what + " (pid " + p.pid() + ") that an earlier run left running on "
                + pidFile.getParent());
        LOG.atWarn().addKeyValue("service", what).addKeyValue("pid", p.pid())
                .log("stopping a service left running by an earlier run on this data directory");
        stop(p);
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + pidFile, e);
        }
        return Optional.of(p.pid());
    }

    private static void stop(ProcessHandle p) {
        CompletableFuture<ProcessHandle> exited = p.onExit();
        p.destroy();
        try {
            exited.get(GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            exited.orTimeout(5, TimeUnit.SECONDS).join();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not wait for pid " + p.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping pid " + p.pid(), e);
        }
    }

    static boolean isCommand(ProcessHandle p, String command) {
        return p.info().command().map(c -> Path.of(c).getFileName().toString().startsWith(command)).orElse(false);
    }

    static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            LOG.atWarn().addKeyValue("file", pidFile.getFileName().toString()).log("unreadable PID file; ignored");
            return Optional.empty();
        }
    }
}
