package org.wardline.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Stops a service process when this JVM dies, however it dies (kill -9 included): a {@code sh} whose standard
 * input is a pipe from this JVM waits for end of file, which only comes when every writer, this JVM, is gone,
 * and then signals the service. PostgreSQL (which pg_ctl detaches) and clamd would otherwise outlive a killed
 * {@code wardline dev}, reparented to init, and hold their data directory and log file against the next start.
 */
public final class OrphanSentinel implements AutoCloseable {
    private static final String SCRIPT = "read -r _ignored; kill -s \"$1\" \"$2\" 2>/dev/null; exit 0";

    private final Process sentinel;

    private OrphanSentinel(Process sentinel) {
        this.sentinel = sentinel;
    }

    /** Watches this JVM on behalf of {@code pid}, which gets {@code signal} (TERM, INT) should this JVM die. */
    public static OrphanSentinel guard(long pid, String signal) {
        if (!signal.matches("[A-Z]{2,6}")) {
            throw new IllegalArgumentException("not a signal name: " + signal);
        }
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", SCRIPT, "wardline-sentinel", signal, Long.toString(pid))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new OrphanSentinel(p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the sentinel for pid " + pid, e);
        }
    }

    /** The sentinel's own process id. */
    public long pid() {
        return sentinel.pid();
    }

    /** Stands the sentinel down without signalling the service (its owner stops the service itself). */
    @Override
    public void close() {
        sentinel.destroy();
        try {
            if (!sentinel.waitFor(5, TimeUnit.SECONDS)) {
                sentinel.destroyForcibly();
            }
        } catch (InterruptedException e) {
            sentinel.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
