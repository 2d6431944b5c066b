package org.wardline.clients.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.wardline.clients.sdk.Admin;
import org.wardline.clients.sdk.WardlineClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code wardline admin teams create | add | remove | list}: care teams, the scope of what clinical roles see. */
@Command(name = "teams", mixinStandardHelpOptions = true,
        description = "Care teams: members message each other and see the team's files.",
        subcommands = {AdminTeamsCommand.Create.class, AdminTeamsCommand.Add.class, AdminTeamsCommand.Remove.class,
                AdminTeamsCommand.ListTeams.class})
final class AdminTeamsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A team named by ID or by name. */
    static UUID resolve(Admin admin, String team) {
        try {
            return UUID.fromString(team);
        } catch (IllegalArgumentException byName) {
            for (JsonNode t : admin.teams().path("teams")) {
                if (t.path("name").asText().equalsIgnoreCase(team)) {
                    return UUID.fromString(t.path("id").asText());
                }
            }
            throw new WardlineClientException("admin.unknown_team", 404, "no care team is called " + team, null);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a care team.")
    static final class Create implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The team's name (a ward or service, never a patient's name).")
        String name;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            output.print(session.admin().createTeam(name), t -> output.out().println("created team " + name + "  " + t.path("id").asText()));
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user to a team.")
    static final class Add implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TEAM", description = "Name or ID.")
        String team;
        @Parameters(index = "1", paramLabel = "USER", description = "Username or ID.")
        String user;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            Admin admin = session.admin();
            output.print(admin.addTeamMember(resolve(admin, team), AdminUsersCommand.resolve(admin, user)),
                    r -> output.out().println("added " + user + " to " + team));
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Take a user out of a team.")
    static final class Remove implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TEAM", description = "Name or ID.")
        String team;
        @Parameters(index = "1", paramLabel = "USER", description = "Username or ID.")
        String user;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            Admin admin = session.admin();
            output.print(admin.removeTeamMember(resolve(admin, team), AdminUsersCommand.resolve(admin, user)),
                    r -> output.out().println("removed " + user + " from " + team));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the teams and their members.")
    static final class ListTeams implements Callable<Integer> {
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            output.print(session.admin().teams(), a -> a.path("teams").forEach(t -> {
                List<String> members = new ArrayList<>();
                t.path("members").forEach(m -> members.add(m.path("username").asText()));
                out.println(t.path("id").asText() + "  " + t.path("name").asText() + "  "
                        + (members.isEmpty() ? "(no members)" : String.join(", ", members)));
            }));
            return 0;
        }
    }
}
