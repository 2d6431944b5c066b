package org.wardline.clients.cli;

import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.SignIn;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code wardline logout}: end this device's session and delete its saved tokens. */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = "Sign out on this device: the server ends the session (open chats are closed) and the saved tokens are deleted.")
final class LogoutCommand implements Callable<Integer> {
    @Mixin
    IdentityOptions identity;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        DeviceIdentity device = DeviceIdentity.load(identity.identity(), identity.passphrase(false));
        boolean ended = SignIn.logout(device);
        spec.commandLine().getOut().println(ended ? "signed out" : "this device was not signed in");
        return 0;
    }
}
