package org.wardline.clients.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code wardline admin hold list | place | release}. */
@Command(name = "hold", mixinStandardHelpOptions = true,
        description = {"Legal holds: while one is active, retention deletes nothing it covers",
                "(a user's files, share links and conversations; a team's members'; one conversation)."},
        subcommands = {AdminHoldCommand.ListHolds.class, AdminHoldCommand.Place.class, AdminHoldCommand.Release.class})
final class AdminHoldCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List legal holds.")
    static final class ListHolds implements Callable<Integer> {
        @Option(names = "--active", description = "Only holds not released.")
        boolean active;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            output.print(session.admin().holds(active), a -> {
                if (a.path("holds").isEmpty()) {
                    out.println("no legal holds");
                }
                a.path("holds").forEach(h -> out.println(line(h)));
            });
            return 0;
        }
    }

    /** Exactly one subject. */
    static final class Subject {
        @Option(names = "--user", paramLabel = "USER", description = "A user (ID or username).", required = true)
        String user;
        @Option(names = "--team", paramLabel = "TEAM_ID", description = "A care team.", required = true)
        UUID team;
        @Option(names = "--conversation", paramLabel = "ID", description = "A conversation (numeric ID).", required = true)
        Long conversation;
    }

    @Command(name = "place", mixinStandardHelpOptions = true, description = "Place a legal hold.")
    static final class Place implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Subject subject;
        @Option(names = "--matter", paramLabel = "REF", required = true,
                description = "The case reference (letters, digits and ._:/- only, e.g. LIT-2026-014; never a patient's name).")
        String matter;
        @Option(names = "--custodian", description = "Require the records custodian: the members of every conversation the hold covers "
                + "add the custodian's devices as a visible legal-hold member. Refused when no custodian is designated.")
        boolean custodian;
        @Option(names = "--custodian-user", paramLabel = "USER", description = "The records custodian (ID or username; "
                + "implies --custodian). Default: the organisation's one account with the records_custodian role.")
        String custodianUser;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            var admin = session.admin();
            String scope;
            String id;
            if (subject.user != null) {
                scope = "user";
                id = AdminUsersCommand.resolve(admin, subject.user).toString();
            } else if (subject.team != null) {
                scope = "team";
                id = subject.team.toString();
            } else {
                scope = "conversation";
                id = subject.conversation.toString();
            }
            java.util.UUID named = custodianUser == null ? null : AdminUsersCommand.resolve(admin, custodianUser);
            output.print(admin.placeHold(scope, id, matter, custodian || named != null, named),
                    h -> out.println("placed: " + line(h)));
            return 0;
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Release a legal hold.")
    static final class Release implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "HOLD_ID")
        UUID hold;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            output.print(session.admin().releaseHold(hold), h -> out.println("released: " + line(h)));
            return 0;
        }
    }

    static String line(JsonNode h) {
        return h.path("id").asText() + "  " + h.path("scope").asText() + " " + h.path("subjectId").asText() + "  matter "
                + h.path("matter").asText() + (h.path("custodianRequired").asBoolean() ? "  custodian " + h.path("custodianUserId").asText("(unnamed)") : "")
                + (h.has("conversationsNotified") ? "  conversations notified " + h.path("conversationsNotified").asInt() : "")
                + (h.path("active").asBoolean() ? "  active since " + h.path("placedAt").asText()
                : "  released " + h.path("releasedAt").asText());
    }
}
