package org.wardline.clients.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code wardline admin alerts list | ack}: the security alerts raised, for the security officer. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = {"Security alerts (failed sign-in bursts, bulk downloads, break-glass …): list them, acknowledge one.",
                "Each names the audit entry behind it (wardline admin report audit-export, or wardline audit export)."},
        subcommands = {AdminAlertsCommand.ListAlerts.class, AdminAlertsCommand.Ack.class})
final class AdminAlertsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Alerts, newest first.")
    static final class ListAlerts implements Callable<Integer> {
        @Option(names = "--open", description = "Only those not acknowledged yet.")
        boolean open;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            output.print(session.admin().alerts(open), a -> {
                boolean lockedLink = false;
                for (var al : a.path("alerts")) {
                    boolean isOpen = al.path("acknowledgedAt").isNull();
                    out.println(al.path("id").asText() + "  " + al.path("severity").asText() + "  " + al.path("rule").asText()
                            + "  " + al.path("occurredAt").asText() + "  audit entry " + al.path("auditEntrySeq").asLong()
                            + "  " + al.path("summary").asText()
                            + (al.hasNonNull("objectType") ? "  " + al.path("objectType").asText() + " " + al.path("objectId").asText() : "")
                            + "  " + (isOpen ? "OPEN" : "acknowledged " + al.path("acknowledgedAt").asText()));
                    lockedLink |= isOpen && "share_link_locked".equals(al.path("rule").asText());
                }
                if (lockedLink) {
                    out.println();
                    out.println("A share link locked after wrong codes: its sender was told. To lift the lock once the recipient "
                            + "confirms it was them: wardline share unlock LINK_ID --as-officer");
                }
            });
            return 0;
        }
    }

    @Command(name = "ack", mixinStandardHelpOptions = true, description = "Acknowledge an alert (recorded in the audit trail).")
    static final class Ack implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ALERT_ID")
        UUID alert;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            output.print(session.admin().acknowledgeAlert(alert), r -> output.out().println("acknowledged alert " + alert
                    + " (" + r.path("rule").asText() + ", audit entry " + r.path("auditEntrySeq").asLong() + ")"));
            return 0;
        }
    }
}
