package org.wardline.server.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.wardline.server.WardlineServer;
import org.wardline.server.dev.DevEnvironment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A whole dev-mode Wardline (embedded PostgreSQL, s3proxy, clamd, dev CA) on free loopback ports, started
 * before a test class and stopped after it. {@link #restart()} stops and starts it on the same data.
 */
public final class WardlineServerExtension implements BeforeAllCallback, AfterAllCallback {
    private Path dataDir;
    private DevEnvironment dev;
    private WardlineServer server;
    private final Map<String, String> env;

    public WardlineServerExtension() {
        this(Map.of());
    }

    /** A server whose configuration also reads these {@code WARDLINE_*} overrides (e.g. shorter timeouts). */
    public WardlineServerExtension(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            dataDir = Files.createTempDirectory("wardline-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    private void start() {
        dev = DevEnvironment.start(dataDir, new DevEnvironment.Ports(0, 0, 0), env);
        try {
            server = WardlineServer.start(dev.config());
        } catch (RuntimeException e) {
            dev.close();
            throw e;
        }
    }

    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (dev != null) {
            dev.close();
            dev = null;
        }
    }

    public void restart() {
        stop();
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
        if (!Boolean.getBoolean("wardline.test.keepData")) {
            deleteTree(dataDir); // 50-140 MB of PostgreSQL, keys and files per test class otherwise stay in /tmp
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(WardlineServerExtension.class).atWarn().addKeyValue("dir", dir)
                    .addKeyValue("errorType", e.getClass().getSimpleName()).log("could not remove the test data directory");
        }
    }

    public WardlineServer server() {
        return server;
    }

    public DevEnvironment dev() {
        return dev;
    }

    public Path dataDir() {
        return dataDir;
    }
}
