package org.wardline.server.pki;

import org.wardline.protocol.Secret;
import org.wardline.server.config.ConfigLoader;
import org.wardline.server.config.WardlineConfig;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code wardline pki …}: operator commands for Wardline's certificate authority. */
@Command(name = "pki", mixinStandardHelpOptions = true, description = "Manage Wardline's device certificate authority.",
        subcommands = PkiCommand.ReissueIntermediate.class)
public final class PkiCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the CA is and how to open it: a configuration file, or a directory and a passphrase file. */
    static final class Location {
        @Option(names = "--config", description = "Server configuration file (pki.directory, pki.passphrase).")
        Path config;

        @ArgGroup(exclusive = false)
        Explicit explicit;

        static final class Explicit {
            @Option(names = "--pki-dir", required = true, description = "The CA directory (holds root-ca.p12, intermediate-ca.p12).")
            Path dir;
            @Option(names = "--passphrase-file", required = true, description = "File whose first line is the keystores' passphrase.")
            Path passphraseFile;
        }

        Path dir() {
            return config != null ? pki().directory() : explicit.dir;
        }

        Secret<String> passphrase() {
            if (config != null) {
                return pki().passphrase();
            }
            try {
                return Secret.of(Files.readAllLines(explicit.passphraseFile).get(0).strip());
            } catch (IOException | IndexOutOfBoundsException e) {
                throw new IllegalStateException("cannot read a passphrase from " + explicit.passphraseFile);
            }
        }

        private WardlineConfig.Pki pki() {
            return ConfigLoader.load(config, System.getenv()).pki();
        }
    }

    @Command(name = "reissue-intermediate", mixinStandardHelpOptions = true,
            description = {"Sign a new device intermediate (new key) with the root key, which must be present for this.",
                    "Restart the server afterwards; then move root-ca.p12 back offline."})
    static final class ReissueIntermediate implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Location location;

        @Option(names = "--days", defaultValue = "1825", description = "Validity of the new intermediate (default: ${DEFAULT-VALUE}).")
        int days;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            X509Certificate intermediate = CertificateAuthority.reissueIntermediate(location.dir(), location.passphrase(),
                    Duration.ofDays(days));
            spec.commandLine().getOut().println("new intermediate " + CertificateAuthority.fingerprint(intermediate)
                    + ", valid until " + intermediate.getNotAfter().toInstant()
                    + ". Restart the server, then move root-ca.p12 offline.");
            return 0;
        }
    }
}
