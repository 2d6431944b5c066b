package org.wardline.clients.cli;

import org.wardline.clients.sdk.DeviceIdentity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code wardline whoami}: connect over mutual TLS and print what the server knows about this device. */
@Command(name = "whoami", mixinStandardHelpOptions = true,
        description = "Connect to the device listener with this device's certificate and show its enrollment.")
final class WhoAmICommand implements Callable<Integer> {
    @Mixin
    IdentityOptions identity;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        DeviceIdentity id = DeviceIdentity.load(identity.identity(), identity.passphrase(false));
        var me = id.whoAmI();
        spec.commandLine().getOut().println("device " + me.path("deviceId").asText() + " (" + me.path("name").asText()
                + ", " + me.path("platform").asText() + ") of user " + me.path("userId").asText()
                + ", certificate valid until " + me.path("notAfter").asText());
        return 0;
    }
}
