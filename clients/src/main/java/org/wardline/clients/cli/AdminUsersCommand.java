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

/** {@code wardline admin users create | invite | list | disable | offboard | enable}. */
@Command(name = "users", mixinStandardHelpOptions = true,
        description = "Accounts: create, invite (create and a device enrollment code), list, disable, offboard, enable again.",
        subcommands = {AdminUsersCommand.Create.class, AdminUsersCommand.Invite.class, AdminUsersCommand.ListUsers.class,
                AdminUsersCommand.Disable.class, AdminUsersCommand.Offboard.class, AdminUsersCommand.Enable.class})
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

    /** What an account is created with; the initial password is prompted for (or read from standard input). */
    static class NewAccount {
        @Parameters(index = "0", paramLabel = "USERNAME", description = "Letters, digits and . _ @ - (2 to 64).")
        String username;
        @Option(names = "--role", required = true, paramLabel = "ROLE", split = ",",
                description = "clinician, nurse, care_coordinator, billing, admin, security_officer, auditor, records_custodian "
                        + "(repeat it or separate with commas).")
        java.util.List<String> roles;
        @Option(names = "--team", paramLabel = "TEAM", description = "Add to this care team (name or ID); repeatable.")
        java.util.List<String> teams = java.util.List.of();
        @Option(names = "--email", description = "Their work e-mail address (security officers receive alerts there).")
        String email;
        @Option(names = "--display-name", description = "The name colleagues see.")
        String displayName;
        @Option(names = "--training-until", paramLabel = "DATE", description = "HIPAA training valid until this date (YYYY-MM-DD).")
        String trainingUntil;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        /** Creates the account and puts it in its teams; returns the server's answer for the account. */
        JsonNode create(Admin admin) {
            SecretInput input = new SecretInput(false);
            var password = input.readNew("Initial password for " + username + " (at least 12 characters; tell them in person)");
            java.util.List<UUID> teamIds = teams.stream().map(t -> AdminTeamsCommand.resolve(admin, t)).toList();
            JsonNode created = admin.createUser(username, email, displayName, password, roles, trainingUntil);
            UUID id = UUID.fromString(created.path("id").asText());
            teamIds.forEach(t -> admin.addTeamMember(t, id));
            return created;
        }

        static String describe(JsonNode u) {
            java.util.List<String> roles = new java.util.ArrayList<>();
            u.path("roles").forEach(r -> roles.add(r.asText()));
            return u.path("username").asText() + " (" + String.join(", ", roles) + ")";
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create an account with an initial password (prompted for) and its roles, teams and training.",
                    "They enroll a device with a code from 'admin users invite' (or the operator) and sign in with 'wardline login'."})
    static final class Create extends NewAccount implements Callable<Integer> {
        @Override
        public Integer call() {
            PrintWriter out = output.out();
            output.print(create(session.admin()), u -> out.println("created " + describe(u) + "  " + u.path("id").asText()));
            return 0;
        }
    }

    @Command(name = "invite", mixinStandardHelpOptions = true,
            description = {"Create an account as 'create' does, then issue a one-time code (valid 10 minutes) for their first device.",
                    "Only the code is printed on standard output (so CODE=$(wardline admin users invite …) keeps it);",
                    "hand it to them in person: wardline enroll --server URL --ca-fingerprint FP --code CODE."})
    static final class Invite extends NewAccount implements Callable<Integer> {
        @Override
        public Integer call() {
            Admin admin = session.admin();
            JsonNode created = create(admin);
            JsonNode code = admin.enrollmentCode(UUID.fromString(created.path("id").asText()));
            PrintWriter err = output.command.commandLine().getErr();
            com.fasterxml.jackson.databind.node.ObjectNode answer = created.deepCopy();
            answer.set("enrollment", code);
            output.print(answer, a -> {
                err.println("invited " + describe(created) + "; their one-time device enrollment code (until "
                        + code.path("expiresAt").asText() + "):");
                err.flush();
                output.out().println(code.path("code").asText());
            });
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = {"Disable an account: every session ends at once; devices, share links and files stay",
                    "('offboard' also revokes devices and links). 'enable' undoes it."})
    static final class Disable implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "USER", description = "ID or username.")
        String user;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            Admin admin = session.admin();
            output.print(admin.disable(resolve(admin, user)), r -> output.out().println("disabled " + user + ": "
                    + r.path("sessionsEnded").asInt() + " session(s) ended"));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts.")
    static final class ListUsers implements Callable<Integer> {
        @Option(names = "--urn", paramLabel = "USER",
                description = "Print only this user's URN (urn:wardline:user:…), which chat's /invite takes.")
        String urnOf;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            if (urnOf != null) {
                out.println("urn:wardline:user:" + resolve(session.admin(), urnOf));
                out.flush();
                return 0;
            }
            output.print(session.admin().users(), a -> a.path("users").forEach(u -> out.println(
                    u.path("id").asText() + "  " + u.path("username").asText() + "  " + u.path("status").asText()
                            + "  " + roles(u) + "  training until " + u.path("trainingExpiresOn").asText("-"))));
            return 0;
        }
    }

    static String roles(JsonNode u) {
        java.util.List<String> roles = new java.util.ArrayList<>();
        u.path("roles").forEach(r -> roles.add(r.asText()));
        return roles.isEmpty() ? "(no role)" : String.join(",", roles);
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
