package org.wardline.clients.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code wardline admin retention policies | set | remove | run [--dry-run]}. */
@Command(name = "retention", mixinStandardHelpOptions = true,
        description = {"Retention policies (messages, files, share_links, audit) for the organisation or a care team,",
                "and retention runs. Audit entries are kept at least six years (2192 days)."},
        subcommands = {AdminRetentionCommand.Policies.class, AdminRetentionCommand.Set.class,
                AdminRetentionCommand.Remove.class, AdminRetentionCommand.Run.class})
final class AdminRetentionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "policies", mixinStandardHelpOptions = true, description = "List the retention policies.")
    static final class Policies implements Callable<Integer> {
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            output.print(session.admin().retentionPolicies(), a -> {
                if (a.path("policies").isEmpty()) {
                    out.println("no retention policies: nothing expires (audit entries are kept 2192 days)");
                }
                a.path("policies").forEach(p -> out.println(line(p)));
            });
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set how many days KIND is kept.")
    static final class Set implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "KIND", description = "messages, files, share_links or audit.")
        String kind;
        @Parameters(index = "1", paramLabel = "DAYS", description = "Whole days, at least 1 (audit: at least 2192).")
        long days;
        @Option(names = "--team", paramLabel = "TEAM_ID", description = "For one care team (may only lengthen the organisation's).")
        UUID team;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            output.print(session.admin().setRetention(kind, team, days), p -> out.println("set: " + line(p)));
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a retention policy.")
    static final class Remove implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "KIND", description = "messages, files, share_links or audit.")
        String kind;
        @Option(names = "--team", paramLabel = "TEAM_ID", description = "The care team's policy (default: the organisation's).")
        UUID team;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            output.print(session.admin().removeRetention(kind, team), a -> out.println("removed the " + kind
                    + " policy" + (team == null ? "" : " of team " + team)));
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Enforce the retention policies now (the server also runs them on a timer).",
                    "--dry-run lists what would be deleted and deletes nothing."})
    static final class Run implements Callable<Integer> {
        @Option(names = "--dry-run", description = "List what would go; change nothing.")
        boolean dryRun;
        @Mixin
        AdminSession session;
        @Option(names = "--json", description = "Print the server's answer (with every listed ID) as JSON.")
        boolean json;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            AdminOutput.print(out, json, session.admin().retentionRun(dryRun), r -> {
                String verb = dryRun ? "would delete" : "deleted";
                for (String kind : new String[] {"messages", "files", "share_links"}) {
                    JsonNode k = r.path(kind);
                    out.println(kind + ": " + verb + " " + k.path("count").asLong()
                            + (dryRun ? "" : " (verified gone " + k.path("verifiedGone").asLong() + ", failed " + k.path("failed").asLong() + ")"));
                    k.path("ids").forEach(id -> out.println("  " + id.asText()));
                }
                JsonNode audit = r.path("audit");
                out.println("audit: " + audit.path("entriesPastRetention").asLong() + " entries past " + audit.path("retentionDays").asInt()
                        + " days; not pruned (the trail is append-only; export them with wardline admin report audit-export)");
            });
            return 0;
        }
    }

    static String line(JsonNode p) {
        return p.path("kind").asText() + " " + p.path("days").asInt() + " days ("
                + ("team".equals(p.path("scope").asText()) ? "team " + p.path("teamId").asText() : "organisation") + ")";
    }
}
