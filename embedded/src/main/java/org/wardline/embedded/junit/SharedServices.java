package org.wardline.embedded.junit;

import org.wardline.embedded.ClamdProcess;
import org.wardline.embedded.EmbeddedPostgresServer;
import org.wardline.embedded.EmbeddedS3Server;
import org.wardline.embedded.FreePorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** The real services tests share: each starts once per test JVM, on first use, and stops when the JVM exits. */
final class SharedServices {
    static final long CLAMD_STREAM_LIMIT = 64L << 20;

    private static EmbeddedPostgresServer postgres;
    private static EmbeddedS3Server s3;
    private static ClamdProcess clamd;

    private SharedServices() {
    }

    static synchronized EmbeddedPostgresServer postgres() {
        if (postgres == null) {
            postgres = EmbeddedPostgresServer.startTemporary();
            stopAtExit(postgres);
        }
        return postgres;
    }

    static synchronized EmbeddedS3Server s3() {
        if (s3 == null) {
            Path dir = tempDir("wardline-s3-");
            s3 = EmbeddedS3Server.start(dir, FreePorts.pick(), "test-" + UUID.randomUUID(), UUID.randomUUID().toString());
            stopAtExit(s3);
        }
        return s3;
    }

    /** clamd, or empty when it is not installed on this machine. */
    static synchronized Optional<ClamdProcess> clamd() {
        if (clamd == null || !clamd.isAlive()) {
            Optional<Path> binary = ClamdProcess.findBinary();
            if (binary.isEmpty()) {
                return Optional.empty();
            }
            clamd = ClamdProcess.start(binary.get(), tempDir("wardline-clamd-"), CLAMD_STREAM_LIMIT, false,
                    Duration.ofSeconds(90));
            stopAtExit(clamd);
        }
        return Optional.of(clamd);
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stopAtExit(AutoCloseable service) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (Exception ignored) {
                // The JVM is exiting; the service's own process dies with it or is reaped by its parent.
            }
        }, "stop-" + service.getClass().getSimpleName()));
    }
}
