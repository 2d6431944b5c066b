package org.wardline.clients.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wardline admin …}: the administrator's and security officer's commands, from an enrolled, signed-in device. */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = {"Administration from an enrolled admin, security-officer or auditor device with a signed-in session",
                "('admin bootstrap' claims a new installation and makes this machine the first admin's device).",
                "Changes ask the server for a second factor within the step-up window; sign in again if refused.",
                "Every command takes --json and then prints the server's answer as JSON."},
        subcommands = {AdminBootstrapCommand.class, AdminUsersCommand.class, AdminTeamsCommand.class, AdminRolesCommand.class,
                AdminTrainingCommand.class, AdminDevicesCommand.class, AdminAlertsCommand.class, AdminRetentionCommand.class,
                AdminHoldCommand.class, AdminReportCommand.class, AdminIncidentCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed here (server unreachable, no session, bad identity …)",
                "2:wrong usage", "3:refused by the server (the message and code say why)"})
final class AdminCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
