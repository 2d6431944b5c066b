package org.wardline.clients.cli;

import org.wardline.clients.sdk.CaPin;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.Enrollment;
import org.wardline.protocol.Secret;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code wardline enroll}: enroll this device with a one-time code. */
@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = {"Enroll this device: the key pair is generated here; only a certificate request is sent.",
                "Trusts only the Wardline CA you pin, by fingerprint (from the server banner) or certificate file."})
final class EnrollCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "The server's public URL, e.g. https://wardline.example.org")
    URI server;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Pin pin;

    static final class Pin {
        @Option(names = "--ca-fingerprint", description = "SHA-256 fingerprint of Wardline's root CA.")
        String fingerprint;
        @Option(names = "--ca-file", description = "PEM file holding Wardline's root CA certificate.")
        Path file;

        CaPin toPin() {
            return fingerprint != null ? CaPin.fingerprint(fingerprint) : CaPin.pemFile(file);
        }
    }

    @Option(names = "--code", required = true, description = "The one-time enrollment code, or - to read it from standard input.")
    String code;

    @Option(names = "--name", defaultValue = "${sys:user.name}@${env:HOSTNAME:-device}", description = "A name for this device.")
    String name;

    @Option(names = "--platform", description = "Platform label (default: this OS).")
    String platform;

    @Option(names = "--force", description = "Replace an existing identity file.")
    boolean force;

    @Mixin
    IdentityOptions identity;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(identity.identity()) && !force) {
            throw new IllegalArgumentException(identity.identity() + " already exists (use --force to replace it)");
        }
        Secret<String> oneTimeCode = "-".equals(code)
                ? Secret.of(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine().strip())
                : Secret.of(code);
        String os = platform != null ? platform
                : System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._ -]", "");
        Secret<String> passphrase = identity.passphrase(true);
        DeviceIdentity id = Enrollment.enroll(server, pin.toPin(), oneTimeCode, safeName(name), os);
        id.save(identity.identity(), passphrase);
        spec.commandLine().getOut().println("enrolled device " + id.deviceId() + " for user " + id.userId()
                + "; certificate valid until " + id.notAfter() + "; identity saved in " + identity.identity());
        return 0;
    }

    private static String safeName(String n) {
        String cleaned = n.replaceAll("[^\\p{L}\\p{N} ._'()-]", "-");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
    }
}
