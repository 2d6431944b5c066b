package org.wardline.clients.cli;

import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.SignIn;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code wardline step-up}: confirm with a fresh authenticator code before a sensitive action. */
@Command(name = "step-up", mixinStandardHelpOptions = true,
        description = {"Confirm with your authenticator code: sensitive actions (creating a share link) need a",
                "second factor shown within the last few minutes."})
final class StepUpCommand implements Callable<Integer> {
    @Option(names = "--stdin", description = "Read the code from standard input.")
    boolean stdin;

    @Mixin
    IdentityOptions identity;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        DeviceIdentity device = DeviceIdentity.load(identity.identity(), identity.passphrase(false));
        SignIn.stepUp(device, new SecretInput(stdin).read("Authenticator code", LoginCommand.CODE_ENV));
        spec.commandLine().getOut().println("confirmed: sensitive actions are allowed for the next few minutes");
        return 0;
    }
}
