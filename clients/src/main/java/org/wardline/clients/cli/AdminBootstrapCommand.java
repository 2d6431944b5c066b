package org.wardline.clients.cli;

import org.wardline.clients.sdk.Bootstrap;
import org.wardline.clients.sdk.CaPin;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.Enrollment;
import org.wardline.clients.sdk.SignIn;
import org.wardline.protocol.Secret;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.util.concurrent.Callable;

/**
 * {@code wardline admin bootstrap}: claims a fresh installation as its first administrator from this machine, which
 * becomes the admin's first enrolled, signed-in device.
 */
@Command(name = "bootstrap", mixinStandardHelpOptions = true,
        description = {"Claim a new installation as its first administrator, from this machine:",
                "  1. the one-time bootstrap code from the server's start-up banner, a username and a password;",
                "  2. an authenticator app for the second factor (QR code and otpauth URI here, then its first code);",
                "     recovery codes shown once;",
                "  3. this machine is enrolled as the admin's device and signed in (a second, newer code).",
                "Answers are prompted for; without a terminal they are read from standard input, one per line."})
final class AdminBootstrapCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "The server's public URL (the banner's \"public\" line).")
    URI server;

    @ArgGroup(exclusive = true, multiplicity = "1")
    EnrollCommand.Pin pin;

    @Option(names = {"-u", "--username"}, description = "The administrator's username (prompted for when absent).")
    String username;

    @Option(names = "--name", defaultValue = "admin device", description = "A name for this device (default: ${DEFAULT-VALUE}).")
    String name;

    @Mixin
    IdentityOptions identity;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (Files.exists(identity.identity())) {
            throw new IllegalArgumentException(identity.identity() + " already exists: bootstrap from a machine (or --identity "
                    + "folder) that is not enrolled yet");
        }
        SecretInput input = new SecretInput(false);
        Secret<String> code = input.read("Bootstrap code (from the server's banner)", null);
        String user = username != null ? username : input.readVisible("Administrator username");
        Secret<String> password = input.readNew("Password for " + user + " (at least 12 characters)");
        CaPin caPin = pin.toPin();
        Secret<String> enrollment = Bootstrap.claim(server, caPin, code, user, password, new TerminalAuthenticatorSetup(out, input));
        out.println("administrator " + user + " created; enrolling this device");
        out.flush();
        Secret<String> passphrase = identity.passphrase(true);
        DeviceIdentity device = Enrollment.enroll(server, caPin, enrollment, name, System.getProperty("os.name", "unknown")
                .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._ -]", ""));
        device.save(identity.identity(), passphrase);
        out.println("enrolled device " + device.deviceId() + " (identity in " + identity.home() + "); signing in on it");
        out.flush();
        SignIn.password(device, user, password, () -> SignIn.SecondFactor.totp(
                input.read("The NEXT authenticator code (wait until the app shows a new one)", null)));
        out.println("signed in as " + user + " on device " + device.deviceId() + ". Next: wardline admin users invite …");
        return 0;
    }
}
