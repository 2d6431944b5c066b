package org.wardline.server;

import org.wardline.server.audit.AuditCommand;
import org.wardline.server.config.ConfigLoader;
import org.wardline.server.config.InvalidConfigException;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.dev.DevEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code wardline dev | serve | check-config}: the server's command line. */
@Command(name = "wardline", mixinStandardHelpOptions = true, version = "Wardline 0.1.0",
        description = "Secure clinical messaging and file-sharing server.",
        subcommands = {Main.Dev.class, Main.Serve.class, Main.CheckConfig.class, AuditCommand.class, org.wardline.server.cli.KeysCommand.class,
                org.wardline.server.pki.PkiCommand.class, org.wardline.server.cli.AdminCommand.class})
public final class Main implements Runnable {
    static final int EXIT_INVALID_CONFIG = 2;
    static final int EXIT_START_FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof InvalidConfigException invalid) {
                cmd.getErr().println("wardline: " + invalid.getMessage());
                return EXIT_INVALID_CONFIG;
            }
            cmd.getErr().println("wardline: could not start: " + e.getMessage());
            for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                cmd.getErr().println("  caused by " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
            }
            return EXIT_START_FAILED;
        });
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "dev", mixinStandardHelpOptions = true,
            description = "Run the server with embedded PostgreSQL, S3 and clamd, all on loopback.")
    static final class Dev implements Callable<Integer> {
        @Option(names = "--data-dir", defaultValue = "wardline-data", description = "Where dev data lives (default: ${DEFAULT-VALUE}).")
        Path dataDir;
        @Option(names = "--public-port", description = "Public listener port (0 picks a free one; default 8443).")
        Integer publicPort;
        @Option(names = "--device-port", description = "Device (mutual TLS) listener port (0 picks a free one; default 9443).")
        Integer devicePort;
        @Option(names = "--ops-port", description = "Metrics and health port on loopback (0 picks a free one; default 9090).")
        Integer opsPort;
        @Option(names = "--demo", description = {"Seed a demo organisation (DEMO DATA: an admin, a security officer, three clinicians",
                "in a care team with enrolled, signed-in devices under <data dir>/demo, a conversation, a shared file)",
                "and print how to sign in as each. Refused on a data directory a real administrator claimed."})
        boolean demo;

        @Override
        public Integer call() {
            DevEnvironment dev = DevEnvironment.start(dataDir, new DevEnvironment.Ports(publicPort, devicePort, opsPort), System.getenv());
            WardlineServer server;
            try {
                server = WardlineServer.start(dev.config());
                if (demo) {
                    org.wardline.server.dev.DemoOrganisation.seedOrShow(server, dev.config().dataDir(), System.out);
                }
            } catch (RuntimeException e) {
                dev.close();
                throw e;
            }
            Banner.print(System.out, server, dev);
            return runUntilStopped(server, dev);
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run the server against external PostgreSQL, S3, clamd and SMTP.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "YAML configuration file (see config/wardline.example.yaml).")
        Path config;
        @Option(names = "--demo", hidden = true)
        boolean demo;

        @Override
        public Integer call() {
            if (demo) {
                throw new InvalidConfigException(java.util.List.of(new org.wardline.server.config.ConfigProblem("--demo",
                        "demo data is seeded only in dev mode (./wardline dev --demo), never into a production installation")));
            }
            WardlineConfig cfg = ConfigLoader.load(config, System.getenv());
            WardlineServer server = WardlineServer.start(cfg);
            Banner.print(System.out, server, null);
            return runUntilStopped(server, null);
        }
    }

    @Command(name = "check-config", mixinStandardHelpOptions = true,
            description = "Validate a configuration file and print every problem; opens no port.")
    static final class CheckConfig implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "YAML configuration file.")
        Path config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ConfigLoader.load(config, System.getenv());
            spec.commandLine().getOut().println("configuration OK: " + config);
            return 0;
        }
    }

    private static int runUntilStopped(WardlineServer server, AutoCloseable dev) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
                if (dev != null) {
                    dev.close();
                }
            } catch (Exception ignored) {
                // Shutting down regardless; each part logged its own failure.
            } finally {
                stopped.countDown();
            }
        }, "wardline-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Exposed for tests that drive the command line in-process. */
    static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        return cl.execute(args);
    }
}
