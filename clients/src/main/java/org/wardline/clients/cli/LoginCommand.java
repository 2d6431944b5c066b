package org.wardline.clients.cli;

import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.SignIn;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code wardline login}: sign in on this device (password, then a TOTP or recovery code). */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Sign in on this enrolled device. The session is bound to this device's certificate and",
                "kept beside the identity (owner-only file); upload, share and chat use it.",
                "Secrets are prompted for; scripts give them on standard input (--stdin: password on the first line,",
                "code on the second) or in $" + LoginCommand.PASSWORD_ENV + " and $" + LoginCommand.CODE_ENV + ".",
                "An account without a second factor sets up its authenticator here: a QR code to scan, the first code",
                "to confirm it, and recovery codes shown once."})
final class LoginCommand implements Callable<Integer> {
    static final String PASSWORD_ENV = "WARDLINE_PASSWORD";
    static final String CODE_ENV = "WARDLINE_CODE";

    @Option(names = {"-u", "--username"}, required = true, description = "Your Wardline username.")
    String username;

    @Option(names = "--recovery-code", description = "Give a one-time recovery code instead of an authenticator code.")
    boolean recovery;

    @Option(names = "--stdin", description = "Read the password and the code from standard input, one per line.")
    boolean stdin;

    @Mixin
    IdentityOptions identity;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        DeviceIdentity device = DeviceIdentity.load(identity.identity(), identity.passphrase(false));
        SecretInput input = new SecretInput(stdin);
        SignIn.password(device, username, input.read("Password", PASSWORD_ENV), () -> recovery
                ? SignIn.SecondFactor.recoveryCode(input.read("Recovery code", CODE_ENV))
                : SignIn.SecondFactor.totp(input.read("Authenticator code", CODE_ENV)),
                new TerminalAuthenticatorSetup(spec.commandLine().getOut(), input));
        spec.commandLine().getOut().println("signed in as " + username + " on device " + device.deviceId());
        return 0;
    }
}
