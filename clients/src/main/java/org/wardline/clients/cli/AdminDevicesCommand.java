package org.wardline.clients.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code wardline admin devices revoke ID}. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "Devices: revoke one (closes its connections at once).",
        subcommands = {AdminDevicesCommand.Revoke.class})
final class AdminDevicesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a device.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DEVICE_ID")
        UUID device;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            output.print(session.admin().revokeDevice(device), r -> out.println("revoked device " + device));
            return 0;
        }
    }
}
