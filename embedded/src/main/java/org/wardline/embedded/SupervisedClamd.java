package org.wardline.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A clamd that is started again, on the same port, when it dies, after a back-off that doubles (up to a
 * minute) while starts keep failing. Whatever the dead clamd spooled into its scratch directory (the
 * plaintext of the uploads it was scanning) is removed before the next one starts. Uploads are refused as
 * "scanner unavailable" in the meantime; the server's readiness names clamd as down.
 */
public final class SupervisedClamd implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedClamd.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** A clamd that ran this long before dying starts again after the first back-off, not a longer one. */
    private static final Duration STABLE = Duration.ofMinutes(2);

    private final Supplier<ClamdProcess> starter;
    private final int port;
    private final Thread supervisor;
    private volatile ClamdProcess current;
    private volatile boolean closed;

    private SupervisedClamd(Supplier<ClamdProcess> starter, ClamdProcess first) {
        this.starter = starter;
        this.current = first;
        this.port = first.port();
        this.supervisor = Thread.ofPlatform().daemon().name("clamd-supervisor").unstarted(this::supervise);
    }

    /** Starts clamd (as {@link ClamdProcess#start}) and keeps it running until {@link #close()}. */
    public static SupervisedClamd start(Path binary, Path workDir, long maxStreamBytes, boolean useSystemSignatures,
                                        Duration startTimeout) {
        int port = FreePorts.pick();
        Supplier<ClamdProcess> starter = () -> ClamdProcess.start(binary, workDir, port, maxStreamBytes,
                useSystemSignatures, startTimeout);
        SupervisedClamd clamd = new SupervisedClamd(starter, starter.get());
        clamd.supervisor.start();
        return clamd;
    }

    private void supervise() {
        Duration backoff = FIRST_BACKOFF;
        long startedAt = System.nanoTime();
        while (!closed) {
            ClamdProcess running = current;
            if (running != null) {
                int code;
                try {
                    code = running.onExit().get().exitValue();
                } catch (InterruptedException e) {
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    code = -1;
                }
                if (closed || running.stopRequested()) {
                    return;
                }
                running.close();
                if (System.nanoTime() - startedAt > STABLE.toNanos()) {
                    backoff = FIRST_BACKOFF;
                }
                LOG.atWarn().addKeyValue("exitCode", code).addKeyValue("restartInMillis", backoff.toMillis())
                        .log("clamd exited; its scratch files are removed and it is started again");
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            try {
                current = starter.get();
                startedAt = System.nanoTime();
                LOG.atInfo().addKeyValue("port", port).log("clamd started again");
                if (closed) {
                    current.close();
                    return;
                }
            } catch (RuntimeException e) {
                current = null;
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName())
                        .addKeyValue("restartInMillis", backoff.toMillis()).log("clamd did not start again");
            }
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    /** The port every clamd of this supervisor listens on. */
    public int port() {
        return port;
    }

    /** The clamd running now, or null between a death and the next start. */
    public ClamdProcess current() {
        return current;
    }

    /** Stops clamd for good (no restart) and removes its scratch files. */
    @Override
    public void close() {
        closed = true;
        supervisor.interrupt();
        ClamdProcess running = current;
        if (running != null) {
            running.close();
        }
    }
}
