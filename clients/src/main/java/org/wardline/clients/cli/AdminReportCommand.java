package org.wardline.clients.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.wardline.clients.sdk.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code wardline admin report access-review | sign-off | disclosures | hipaa-evidence | audit-export}. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Reports for reviewers and auditors, as JSON (default) or CSV.",
        subcommands = {AdminReportCommand.AccessReview.class, AdminReportCommand.SignOff.class,
                AdminReportCommand.DisclosuresReport.class, AdminReportCommand.Evidence.class, AdminReportCommand.AuditExport.class})
final class AdminReportCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code --format json|csv}, and {@code --json} as a synonym of {@code --format json}. */
    static final class Format {
        @Option(names = "--format", paramLabel = "json|csv", defaultValue = "json", description = "Output format (default json).")
        String format;
        @Option(names = "--json", description = "Same as --format json.")
        boolean json;

        String value(CommandLine.Model.CommandSpec spec) {
            String f = json ? "json" : format;
            if (!f.equals("json") && !f.equals("csv")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--format is json or csv (not \"" + f + "\")");
            }
            return f;
        }
    }

    @Command(name = "access-review", mixinStandardHelpOptions = true,
            description = {"Each user's roles, teams, elevations, last activity and devices. The report is recorded",
                    "with its SHA-256; sign it off with `wardline admin report sign-off REVIEW_ID --decision approved`."})
    static final class AccessReview implements Callable<Integer> {
        @Mixin
        Format format;
        @Mixin
        AdminSession session;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            print(spec, session.admin().accessReview(format.value(spec)));
            return 0;
        }
    }

    @Command(name = "sign-off", mixinStandardHelpOptions = true, description = "Record your sign-off of an access review (once).")
    static final class SignOff implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "REVIEW_ID")
        UUID review;
        @Option(names = "--decision", required = true, paramLabel = "approved|changes_required")
        String decision;
        @Mixin
        JsonOutput output;
        @Mixin
        AdminSession session;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            output.print(session.admin().signOffAccessReview(review, decision), r -> out.println(
                    "signed off review " + review + " (" + r.path("decision").asText() + ", " + r.path("usersReviewed").asInt()
                            + " users, report sha256 " + r.path("reportSha256").asText() + ") at " + r.path("signedAt").asText()));
            return 0;
        }
    }

    @Command(name = "disclosures", mixinStandardHelpOptions = true,
            description = {"Accounting of disclosures (45 CFR 164.528) for one patient: every share link sent to their",
                    "address, each opening, and revocations, with dates. The address is read from standard input",
                    "(--stdin) or $WARDLINE_RECIPIENT or a prompt, never from the command line."})
    static final class DisclosuresReport implements Callable<Integer> {
        @Option(names = "--stdin", description = "Read the recipient's address from the first line of standard input.")
        boolean stdin;
        @Mixin
        Format format;
        @Mixin
        AdminSession session;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Admin admin = session.admin();
            String recipient = new SecretInput(stdin).read("Recipient address", "WARDLINE_RECIPIENT").reveal();
            print(spec, admin.disclosures(recipient, format.value(spec)));
            return 0;
        }
    }

    @Command(name = "hipaa-evidence", mixinStandardHelpOptions = true,
            description = "Each 45 CFR 164.312 standard mapped to the server's running configuration and the tests that prove it.")
    static final class Evidence implements Callable<Integer> {
        @Mixin
        Format format;
        @Mixin
        AdminSession session;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            print(spec, session.admin().hipaaEvidence(format.value(spec)));
            return 0;
        }
    }

    @Command(name = "audit-export", mixinStandardHelpOptions = true,
            description = {"The audit trail for [--from, --to) as the server's `wardline audit export` writes it",
                    "(jsonl or csv, with each entry's hashes)."})
    static final class AuditExport implements Callable<Integer> {
        @Option(names = "--from", required = true, paramLabel = "TIME", description = "2026-11-01 or 2026-11-01T08:00:00Z.")
        String from;
        @Option(names = "--to", required = true, paramLabel = "TIME")
        String to;
        @Option(names = "--format", defaultValue = "jsonl", paramLabel = "jsonl|csv")
        String format;
        @Mixin
        AdminSession session;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(session.admin().auditExport(from, to, format));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** JSON is pretty-printed; CSV is printed as the server wrote it. */
    private static void print(CommandLine.Model.CommandSpec spec, String body) {
        PrintWriter out = spec.commandLine().getOut();
        if (body.startsWith("{")) {
            try {
                JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
                AdminOutput.print(out, true, json, j -> { });
                return;
            } catch (java.io.IOException e) {
                // not JSON after all: print as is
            }
        }
        out.print(body);
        out.flush();
    }
}
