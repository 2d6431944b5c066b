package org.wardline.clients.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.Incidents;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code wardline admin incident …}: the security officer's incident workflow, from an alert to closed. */
@Command(name = "incident", mixinStandardHelpOptions = true,
        description = {"Security incidents: open one (from an alert or by hand), contain, move it forward, close it.",
                "Statuses: open -> contained -> assessed -> notified -> closed (open -> assessed and assessed -> closed too).",
                "Categories: lost_device, misdirected_share, bulk_download, failed_signin_burst, off_hours_access,",
                "  outside_teams_access, break_glass, suspected_compromise, audit_chain_broken, other.",
                "Reasons: lost_device, stolen_device, misdirected_share, suspected_compromise, bulk_download,",
                "  policy_violation, preserve_evidence, investigation, drill, other. Codes only: never a patient's name."},
        subcommands = {AdminIncidentCommand.Open.class, AdminIncidentCommand.ListIncidents.class, AdminIncidentCommand.Show.class,
                AdminIncidentCommand.Status.class, AdminIncidentCommand.Assign.class, AdminIncidentCommand.Suspend.class,
                AdminIncidentCommand.RevokeDevice.class, AdminIncidentCommand.WipeDevice.class, AdminIncidentCommand.RevokeLinks.class, AdminIncidentCommand.Hold.class, AdminIncidentCommand.Freeze.class,
                AdminIncidentCommand.Disclosures.class, AdminIncidentCommand.Assess.class, AdminIncidentCommand.Notify.class,
                AdminIncidentCommand.Evidence.class, AdminIncidentCommand.Lessons.class, AdminIncidentCommand.Report.class,
                AdminIncidentCommand.Drill.class})
final class AdminIncidentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The incident API from this device's signed-in session. */
    static final class Session {
        @Mixin
        IdentityOptions identity;
        private DeviceIdentity device;

        private DeviceIdentity device() {
            if (device == null) {
                device = DeviceIdentity.load(identity.identity(), identity.passphrase(false));
            }
            return device;
        }

        Incidents incidents() {
            return new Incidents(device());
        }

        UUID user(String idOrName) {
            return AdminUsersCommand.resolve(new org.wardline.clients.sdk.Admin(device()), idOrName);
        }
    }

    static final class Source {
        @Option(names = "--alert", paramLabel = "ALERT_ID", required = true, description = "Open it from this alert (wardline admin alerts list).")
        UUID alert;
        @Option(names = "--category", paramLabel = "CODE", required = true, description = "Open it by hand, of this category.")
        String category;
    }

    @Command(name = "open", mixinStandardHelpOptions = true, description = "Open an incident from an alert or by hand.")
    static final class Open implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;
        @Option(names = "--severity", paramLabel = "LEVEL", description = "low, medium, high or critical (required by hand; "
                + "from an alert, the alert's unless given).")
        String severity;
        @Option(names = "--subject", paramLabel = "USER", description = "The account concerned (ID or username), by hand only.")
        String subject;
        @Option(names = "--discovered", paramLabel = "INSTANT", description = "When it was discovered (ISO-8601, e.g. "
                + "2026-12-07T05:30:00Z; default now). The notification deadline counts from it.")
        String discovered;
        @Mixin
        Session session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            Incidents incidents = session.incidents();
            JsonNode i = source.alert != null ? incidents.openFromAlert(source.alert, severity)
                    : incidents.open(source.category, severity, subject == null ? null : session.user(subject), discovered);
            output.print(i, r -> output.out().println("opened " + line(r)));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Incidents, newest first (drills are not incidents and are left out).")
    static final class ListIncidents implements Callable<Integer> {
        @Option(names = "--status", paramLabel = "STATUS", description = "Only those with this status.")
        String status;
        @Option(names = "--drills", description = "List the drills' incidents instead of the real ones.")
        boolean drills;
        @Mixin
        Session session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            output.print(session.incidents().list(status, drills), a -> {
                if (a.path("incidents").isEmpty()) {
                    out.println("no incidents");
                }
                a.path("incidents").forEach(i -> out.println(line(i)));
            });
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One incident, its containments and its timeline.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INCIDENT_ID")
        UUID incident;
        @Mixin
        Session session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            output.print(session.incidents().show(incident), i -> {
                out.println(line(i));
                out.println("  owner " + i.path("ownerId").asText() + "  discovered " + i.path("discoveredAt").asText()
                        + (i.path("alertId").isNull() ? "" : "  from alert " + i.path("alertId").asText())
                        + (i.path("subjectUserId").isNull() ? "" : "  subject " + i.path("subjectUserId").asText()));
                out.println("timeline:");
                i.path("timeline").forEach(e -> out.println("  " + e.path("at").asText() + "  " + e.path("action").asText()
                        + (e.path("objectType").isNull() ? "" : "  " + e.path("objectType").asText() + " " + e.path("objectId").asText(""))
                        + (e.path("reason").isNull() ? "" : "  reason " + e.path("reason").asText())
                        + "  by " + e.path("actorUserId").asText() + (e.path("details").isEmpty() ? "" : "  " + e.path("details"))));
            });
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Move an incident to its next status.")
    static final class Status implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INCIDENT_ID")
        UUID incident;
        @Parameters(index = "1", paramLabel = "STATUS", description = "contained, assessed, notified or closed.")
        String status;
        @Mixin
        Session session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            output.print(session.incidents().status(incident, status), r -> output.out().println("now " + line(r)));
            return 0;
        }
    }

    @Command(name = "assign", mixinStandardHelpOptions = true, description = "Give an incident to another security officer.")
    static final class Assign implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INCIDENT_ID")
        UUID incident;
        @Parameters(index = "1", paramLabel = "OFFICER", description = "ID or username of an active security officer.")
        String owner;
        @Mixin
        Session session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            output.print(session.incidents().assign(incident, session.user(owner)), r -> output.out().println("assigned " + line(r)));
            return 0;
        }
    }

    /** The options every containment shares. */
    abstract static class Containment implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INCIDENT_ID")
        UUID incident;
        @Option(names = "--reason", paramLabel = "CODE", required = true, description = "Why (a reason code, see 'incident --help').")
        String reason;
        @Mixin
        Session session;
        @Mixin
        JsonOutput output;

        abstract ObjectNode request();

        @Override
        public Integer call() {
            output.print(session.incidents().contain(incident, request()), r -> output.out().println("contained: "
                    + r.path("action").asText() + " " + r.path("objectType").asText() + " " + r.path("objectId").asText()
                    + "  " + r.path("result") + "  (timeline entry " + r.path("timelineEntry").asLong() + ")"));
            return 0;
        }
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true, description = {"Suspend an account: disabled, every session ended, "
            + "every device revoked (connections closed), every share link it made revoked; its files kept.",
            "Coming back needs an administrator to enable it and a new device enrollment."})
    static final class Suspend extends Containment {
        @Option(names = "--user", paramLabel = "USER", required = true, description = "ID or username.")
        String user;

        @Override
        ObjectNode request() {
            return Incidents.suspend(session.user(user), reason);
        }
    }

    @Command(name = "revoke-device", mixinStandardHelpOptions = true, description = "Revoke one device: certificates on the CRL, connections closed.")
    static final class RevokeDevice extends Containment {
        @Option(names = "--device", paramLabel = "DEVICE_ID", required = true)
        UUID device;

        @Override
        ObjectNode request() {
            return Incidents.revokeDevice(device, reason);
        }
    }

    @Command(name = "wipe-device", mixinStandardHelpOptions = true, description = {"Mark a device lost: it wipes itself at its next "
            + "contact; its certificates, sessions and conversation memberships end now."})
    static final class WipeDevice extends Containment {
        @Option(names = "--device", paramLabel = "DEVICE_ID", required = true)
        UUID device;

        @Override
        ObjectNode request() {
            return Incidents.wipeDevice(device, reason);
        }
    }

    static final class LinkScope {
        @Option(names = "--link", paramLabel = "LINK_ID", required = true, description = "One share link.")
        UUID link;
        @Option(names = "--file", paramLabel = "FILE_ID", required = true, description = "Every live link to this file.")
        UUID file;
        @Option(names = "--user", paramLabel = "USER", required = true, description = "Every live link this user made.")
        String user;
    }

    @Command(name = "revoke-links", mixinStandardHelpOptions = true, description = "Revoke one share link, or all of a file's or a user's.")
    static final class RevokeLinks extends Containment {
        @ArgGroup(exclusive = true, multiplicity = "1")
        LinkScope scope;

        @Override
        ObjectNode request() {
            if (scope.link != null) {
                return Incidents.revokeLinks("link", scope.link, reason);
            }
            return scope.file != null ? Incidents.revokeLinks("file", scope.file, reason)
                    : Incidents.revokeLinks("user", session.user(scope.user), reason);
        }
    }

    @Command(name = "hold", mixinStandardHelpOptions = true, description = "Place a legal hold so retention deletes nothing in scope.")
    static final class Hold extends Containment {
        @ArgGroup(exclusive = true, multiplicity = "1")
        AdminHoldCommand.Subject subject;
        @Option(names = "--matter", paramLabel = "REF", required = true, description = "The case reference (e.g. the incident's INC-… reference).")
        String matter;

        @Override
        ObjectNode request() {
            if (subject.user != null) {
                return Incidents.hold("user", session.user(subject.user).toString(), matter, reason);
            }
            return subject.team != null ? Incidents.hold("team", subject.team.toString(), matter, reason)
                    : Incidents.hold("conversation", subject.conversation.toString(), matter, reason);
        }
    }

    @Command(name = "freeze", mixinStandardHelpOptions = true, description = {"Freeze a conversation until the incident is closed: "
            + "nobody can be added, no file shared into it, no share link made of its files.",
            "Its members can still message each other."})
    static final class Freeze extends Containment {
        @Option(names = "--conversation", paramLabel = "ID", required = true, description = "The conversation (numeric ID, as audit entries name it).")
        long conversation;

        @Override
        ObjectNode request() {
            return Incidents.freeze(conversation, reason);
        }
    }

    @Command(name = "disclosures", mixinStandardHelpOptions = true,
            description = "What was disclosed in the incident's scope: files, who opened or downloaded them, counted per patient.")
    static final class Disclosures implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INCIDENT_ID")
        UUID incident;
        @Mixin
        Session session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            output.print(session.incidents().disclosures(incident), d -> {
                JsonNode t = d.path("totals");
                out.println(t.path("patients").asInt() + " patients, " + t.path("files").asInt() + " files, " + t.path("links").asInt()
                        + " links; " + t.path("workforceAccesses").asLong() + " workforce accesses, " + t.path("patientOpens").asLong()
                        + " opens and " + t.path("patientDownloads").asLong() + " downloads by recipients; "
                        + t.path("filesWithoutAKnownPatient").asInt() + " files without a known patient");
                d.path("patients").forEach(p -> out.println("  " + p.path("patientKey").asText() + "  links " + p.path("links").size()
                        + "  files " + p.path("files").size() + "  opened " + p.path("opened").asLong() + "  downloaded "
                        + p.path("downloaded").asLong() + "  workforce accesses " + p.path("workforceAccesses").asLong()));
            });
            return 0;
        }
    }

    @Command(name = "assess", mixinStandardHelpOptions = true, description = {"Record the breach risk assessment (45 CFR 164.402) from a JSON file:",
            "{\"factors\": {\"natureAndExtent\": {\"phiTypes\": [...], \"risk\": \"low|medium|high\"}, \"recipient\": {\"kind\": ..., \"risk\": ...},",
            " \"acquiredOrViewed\": {\"finding\": ..., \"risk\": ...}, \"mitigation\": {\"measures\": [...], \"risk\": ...}},",
            " \"conclusion\": \"breach|not_breach|low_probability\", \"affectedIndividuals\": N, \"residentsByState\": {\"MA\": N}}"})
    static final class Assess implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INCIDENT_ID")
        UUID incident;
        @Parameters(index = "1", paramLabel = "FILE")
        java.nio.file.Path file;
        @Mixin
        Session session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.nio.file.Files.readString(file));
            output.print(session.incidents().assess(incident, body), r -> {
                JsonNode n = r.path("assessment").path("notification");
                output.out().println("assessed: " + r.path("assessment").path("conclusion").asText() + "; deadline " + n.path("deadline").asText()
                        + " (" + n.path("daysLeft").asLong() + " days left); notify " + n.path("requiredRecipients"));
            });
            return 0;
        }
    }

    @Command(name = "notify", mixinStandardHelpOptions = true, description = "Record a notification as sent.")
    static final class Notify implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INCIDENT_ID")
        UUID incident;
        @Option(names = "--recipient", required = true, description = "individuals, hhs, media or state_attorney_general.")
        String recipient;
        @Option(names = "--method", required = true, description = "first_class_mail, email, telephone, substitute_website, "
                + "substitute_media, press_release, hhs_portal or letter.")
        String method;
        @Option(names = "--count", required = true, description = "How many were notified.")
        int count;
        @Option(names = "--sent", required = true, paramLabel = "INSTANT", description = "When it was sent (ISO-8601).")
        String sent;
        @Mixin
        Session session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            output.print(session.incidents().notified(incident, recipient, method, count, sent), r -> output.out().println("recorded: "
                    + r.path("recipient").asText() + " by " + r.path("method").asText() + " at " + r.path("sentAt").asText()
                    + (r.path("late").asBoolean() ? "  LATE (after the deadline)" : "")));
            return 0;
        }
    }

    @Command(name = "evidence", mixinStandardHelpOptions = true, description = {"Seal the audit entries in the incident's scope into a package "
            + "signed with the audit key, and hold the users in scope.", "Verify it offline: wardline audit verify --package FILE --certificate audit-signing.crt"})
    static final class Evidence implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INCIDENT_ID")
        UUID incident;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write the package (.p7m).")
        java.nio.file.Path file;
        @Mixin
        Session session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() throws Exception {
            JsonNode r = session.incidents().evidence(incident);
            java.nio.file.Files.write(file, java.util.Base64.getDecoder().decode(r.path("package").asText()));
            ((ObjectNode) r).remove("package");
            output.print(r, x -> output.out().println("sealed " + x.path("entries").asInt() + " audit entries into " + file
                    + "  sha256 " + x.path("sha256").asText() + "  holds placed " + x.path("holdsPlaced").asInt()));
            return 0;
        }
    }

    @Command(name = "lessons", mixinStandardHelpOptions = true, description = "Record lessons learned (codes: detection_worked, detection_late, "
            + "containment_slow, training_gap, policy_gap, access_too_broad, technical_control_gap, vendor_issue, process_followed, drill_needed).")
    static final class Lessons implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INCIDENT_ID")
        UUID incident;
        @Parameters(index = "1..*", paramLabel = "LESSON")
        java.util.List<String> lessons;
        @Mixin
        Session session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            output.print(session.incidents().lessons(incident, lessons), r -> output.out().println("recorded " + r.path("lessons")));
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, description = {"The incident report (JSON and PDF) for the privacy officer and "
            + "counsel, and the JSON signed with the audit key (verify with wardline audit verify --package); the signed report "
            + "names the PDF's SHA-256 (pdfSha256)."})
    static final class Report implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INCIDENT_ID")
        UUID incident;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The report as JSON; FILE.p7m beside it is the signed copy and FILE.pdf the PDF.")
        java.nio.file.Path file;
        @Mixin
        Session session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() throws Exception {
            JsonNode r = session.incidents().report(incident);
            java.nio.file.Files.writeString(file, new com.fasterxml.jackson.databind.ObjectMapper()
                    .writerWithDefaultPrettyPrinter().writeValueAsString(r.path("report")));
            java.nio.file.Path signed = file.resolveSibling(file.getFileName() + ".p7m");
            java.nio.file.Files.write(signed, java.util.Base64.getDecoder().decode(r.path("signed").asText()));
            byte[] pdf = java.util.Base64.getDecoder().decode(r.path("pdf").asText());
            String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(pdf));
            if (!sha256.equals(r.path("report").path("pdfSha256").asText())) {
                output.err().println("The PDF the server sent is not the one its signed report names; nothing written for it.");
                return 4;
            }
            java.nio.file.Path pdfFile = file.resolveSibling(file.getFileName() + ".pdf");
            java.nio.file.Files.write(pdfFile, pdf);
            output.out().println("wrote " + file + ", its signed copy " + signed + " and the PDF " + pdfFile);
            output.out().flush();
            return 0;
        }
    }

    /** The drills the server offers, in the order the help lists them. */
    static final java.util.List<String> DRILL_SCENARIOS = java.util.List.of("lost-device", "misdirected-link");

    @Command(name = "drill", mixinStandardHelpOptions = true, description = {"Rehearse an incident on a DEV installation "
            + "(./wardline dev) and report the times to contain.",
            "lost-device: a marked drill account (drill-…) is reported lost, an incident marked as a drill is opened for it",
            "  and the account suspended from it (sessions, devices and links ended).",
            "misdirected-link: a synthetic drill document (no patient data) of a drill account is shared with an address",
            "  that cannot receive mail (…@example.invalid); the misdirection is reported, a misdirected_share incident",
            "  marked as a drill is opened and every link to the file revoked from it.",
            "Refused against an installation that is not a dev one. Drill incidents never count as real ones "
            + "(see 'incident list --drills')."})
    static final class Drill implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SCENARIO", defaultValue = "lost-device",
                description = "lost-device (default) or misdirected-link.")
        String scenario;
        @Mixin
        Session session;
        @Mixin
        JsonOutput output;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!DRILL_SCENARIOS.contains(scenario)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown drill scenario '" + scenario
                        + "': the scenarios are " + String.join(" and ", DRILL_SCENARIOS));
            }
            PrintWriter out = output.out();
            output.print(session.incidents().drill(scenario), d -> {
                JsonNode i = d.path("incident");
                JsonNode t = d.path("times");
                out.println("DRILL " + d.path("scenario").asText() + ": " + i.path("reference").asText() + " "
                        + i.path("status").asText().toUpperCase(java.util.Locale.ROOT) + " (a drill, not a real incident)");
                out.println("  detection -> opened     " + t.path("detectionToOpenedMs").asLong() + " ms");
                out.println("  opened -> contained     " + t.path("openedToContainedMs").asLong() + " ms");
                out.println("  detection -> contained  " + t.path("detectionToContainedMs").asLong() + " ms");
                JsonNode staged = d.path("staged");
                if (staged.has("linkId")) {
                    out.println("  drill file " + staged.path("fileId").asText() + " shared by link " + staged.path("linkId").asText()
                            + " with an address at " + staged.path("recipientDomain").asText());
                }
                out.println("  drill account " + d.path("drillUser").path("username").asText() + ", contained by "
                        + d.path("containment").path("action").asText() + "  " + d.path("containment").path("result"));
                out.println("  share links revoked     " + d.path("revoked").path("shareLinks").asInt());
            });
            return 0;
        }
    }

    static String line(JsonNode i) {
        return i.path("id").asText() + "  " + i.path("reference").asText() + "  " + i.path("status").asText().toUpperCase(java.util.Locale.ROOT)
                + "  " + i.path("severity").asText() + "  " + i.path("category").asText() + "  opened " + i.path("openedAt").asText();
    }
}
