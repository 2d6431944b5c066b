package org.wardline.server.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where a running dev server's embedded services listen, written to the data directory while it runs so
 * that commands such as {@code wardline audit verify --data-dir} can reach them.
 */
public record DevRuntime(long pid, int postgresPort) {
    static final String FILE = "dev-runtime.properties";

    void write(Path dataDir) {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("postgres.port", Integer.toString(postgresPort));
        try (OutputStream out = Files.newOutputStream(dataDir.resolve(FILE))) {
            p.store(out, "written by a running wardline dev; removed when it stops");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
    }

    /**
     * Refuses to start a second dev server on a data directory another live one uses; says so when the last
     * one died without stopping (its PostgreSQL and clamd are then stopped by their own start).
     */
    static void claim(Path dataDir) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dataDir.resolve(FILE))) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
        long pid;
        try {
            pid = Long.parseLong(p.getProperty("pid", ""));
        } catch (NumberFormatException e) {
            remove(dataDir);
            return;
        }
        boolean otherLiveJvm = pid != ProcessHandle.current().pid() && ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().command())
                .map(c -> Path.of(c).getFileName().toString().startsWith("java"))
                .orElse(false);
        if (otherLiveJvm) {
            throw new IllegalStateException("another wardline dev (pid " + pid + ") runs on " + dataDir
                    + ": stop it first, or choose another --data-dir");
        }
        if (pid != ProcessHandle.current().pid()) {
            System.err.println("wardline: the dev server that used " + dataDir + " (pid " + pid
                    + ") did not stop cleanly; what it left running is stopped now");
        }
        remove(dataDir);
    }

    static void remove(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + FILE, e);
        }
    }

    /** True when {@code wardline dev} in this very process claimed {@code dataDir}: the one sign of a dev installation. */
    public static boolean isThisProcess(Path dataDir) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dataDir.resolve(FILE))) {
            p.load(in);
        } catch (IOException e) {
            return false;
        }
        return Long.toString(ProcessHandle.current().pid()).equals(p.getProperty("pid"));
    }

    /** Reads the running dev server's ports; fails clearly when none runs on this data directory. */
    public static DevRuntime read(Path dataDir) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dataDir.resolve(FILE))) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("no dev server is running on " + dataDir + ": start ./wardline dev --data-dir "
                    + dataDir + " first");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
        long pid = Long.parseLong(p.getProperty("pid"));
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return new DevRuntime(pid, Integer.parseInt(p.getProperty("postgres.port")));
        }
        throw new IllegalStateException("the dev server that used " + dataDir + " (pid " + pid + ") has stopped: start ./wardline dev first");
    }

    /** Adds the running dev server's S3 endpoint, for operator commands such as {@code wardline admin backup}. */
    static void recordS3(Path dataDir, java.net.URI endpoint) {
        Properties p = new Properties();
        Path file = dataDir.resolve(FILE);
        try {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
            p.setProperty("s3.endpoint", endpoint.toString());
            try (OutputStream out = Files.newOutputStream(file)) {
                p.store(out, "written by a running wardline dev; removed when it stops");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
    }

    /** The running dev server's S3 endpoint, when it recorded one. */
    public static java.util.Optional<java.net.URI> s3Endpoint(Path dataDir) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dataDir.resolve(FILE))) {
            p.load(in);
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.ofNullable(p.getProperty("s3.endpoint")).map(java.net.URI::create);
    }
}
