package org.wardline.clients.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.wardline.clients.sdk.Admin;
import org.wardline.clients.sdk.WardlineClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code wardline admin users list | offboard | enable}. */
@Command(name = "users", mixinStandardHelpOptions = true, description = "Accounts: list, offboard, enable again.",
        subcommands = {AdminUsersCommand.ListUsers.class, AdminUsersCommand.Offboard.class, AdminUsersCommand.Enable.class})
final class AdminUsersCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A user named by ID or by username. */
    static UUID resolve(Admin admin, String user) {
        try {
            return UUID.fromString(user);
        } catch (IllegalArgumentException byName) {
            for (JsonNode u : admin.users().path("users")) {
                if (u.path("username").asText().equalsIgnoreCase(user)) {
                    return UUID.fromString(u.path("id").asText());
                }
            }
            throw new WardlineClientException("admin.unknown_user", 404, "no user is called " + user, null);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts.")
    static final class ListUsers implements Callable<Integer> {
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            output.print(session.admin().users(), a -> a.path("users").forEach(u -> out.println(
                    u.path("id").asText() + "  " + u.path("username").asText() + "  " + u.path("status").asText())));
            return 0;
        }
    }

    @Command(name = "offboard", mixinStandardHelpOptions = true,
            description = {"Disable USER at once: every device, session and share link they created is revoked;",
                    "their files stay, or go to USER2. Coming back needs enabling and a fresh device enrollment."})
    static final class Offboard implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "USER", description = "ID or username.")
        String user;
        @Option(names = "--transfer-files-to", paramLabel = "USER2", description = "Give their files to this active user (ID or username).")
        String heir;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            Admin admin = session.admin();
            UUID id = resolve(admin, user);
            UUID to = heir == null ? null : resolve(admin, heir);
            output.print(admin.offboard(id, to), r -> {
                out.println("offboarded " + id + ": " + r.path("devicesRevoked").asInt() + " device(s) revoked, "
                        + r.path("sessionsEnded").asInt() + " session(s) ended, " + r.path("shareLinksRevoked").asInt()
                        + " share link(s) revoked");
                out.println(to == null ? r.path("filesKept").asLong() + " file(s) kept"
                        : r.path("filesTransferred").asLong() + " file(s) transferred to " + to);
            });
            return 0;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = "Enable a disabled account again (its old devices stay revoked: enroll afresh).")
    static final class Enable implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "USER", description = "ID or username.")
        String user;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            Admin admin = session.admin();
            output.print(admin.enable(resolve(admin, user)), u -> out.println("enabled " + u.path("username").asText()));
            return 0;
        }
    }
}
