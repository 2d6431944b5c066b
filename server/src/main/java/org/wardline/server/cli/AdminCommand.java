package org.wardline.server.cli;

import org.wardline.server.backup.BackupCommands;
import picocli.CommandLine.Command;

/** {@code wardline admin …}: operator commands that run on the server host. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Operator commands on the server host.",
        subcommands = {BackupCommands.Backup.class, BackupCommands.Restore.class, BackupCommands.BackupKeyCommand.class})
public final class AdminCommand {
}
