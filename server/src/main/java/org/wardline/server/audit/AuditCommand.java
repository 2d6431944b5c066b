package org.wardline.server.audit;

import org.wardline.server.cli.Target;
import org.wardline.storage.audit.AuditExporter;
import org.wardline.storage.audit.AuditVerifier;
import org.wardline.storage.audit.ExportFormat;
import org.wardline.storage.audit.VerificationReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;

/** {@code wardline audit verify|export}: what a security officer and an auditor run against the trail. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Verify or export the audit trail.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
public final class AuditCommand {
    /** Exit status when the command's own entry could not be written to the trail. */
    static final int NOT_RECORDED = 4;

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Recompute the hash chain and check every signed checkpoint; names the first broken entry. Exit 0 when intact, 3 when not.",
                    "With --package, verify an incident's evidence package offline instead (no database): the audit key's signature",
                    "and every entry's hash; names the entry or part that was altered."})
    static final class Verify implements Callable<Integer> {
        @ArgGroup(multiplicity = "0..1")
        Target source;
        @Option(names = "--package", paramLabel = "FILE", description = "An evidence package (wardline admin incident evidence).")
        Path evidence;
        @Option(names = "--certificate", description = "The audit signing certificate (default: audit-signing.crt in the PKI directory).")
        Path certificate;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (source == null && (evidence == null || certificate == null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "give --config or --data-dir, or --package with --certificate");
            }
            Path cert = certificate != null ? certificate : source.pkiDir().resolve(AuditKeys.CERTIFICATE);
            if (evidence != null) {
                org.wardline.storage.audit.EvidencePackage.Verification v = org.wardline.storage.audit.EvidencePackage.verify(
                        Files.readAllBytes(evidence), AuditKeys.publicKey(cert));
                spec.commandLine().getOut().println(v.summary());
                return v.valid() ? 0 : 3;
            }
            VerificationReport report = AuditVerifier.verify(source.dataSource(), AuditKeys.publicKey(cert));
            spec.commandLine().getOut().println(report.summary());
            try {
                new OperatorAudit(source).record(TrailEntries.verified(TrailEntries.Via.CLI, TrailEntries.operatorAccount(), report));
            } catch (OperatorAudit.NotWritten e) {
                spec.commandLine().getErr().println("warning: " + e.getMessage() + "; this verification is not in the trail");
                return report.valid() ? NOT_RECORDED : 3;
            }
            return report.valid() ? 0 : 3;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write audit entries in a time range, each with its hash, as JSON lines or CSV.")
    static final class Export implements Callable<Integer> {
        @ArgGroup(multiplicity = "1")
        Target source;
        @Option(names = "--from", required = true, description = "Start (inclusive): 2026-01-31 or an ISO-8601 instant.")
        String from;
        @Option(names = "--to", required = true, description = "End (exclusive): 2026-02-01 or an ISO-8601 instant.")
        String to;
        @Option(names = "--format", defaultValue = "jsonl", description = "jsonl or csv (default: ${DEFAULT-VALUE}).")
        String format;
        @Option(names = {"-o", "--output"}, description = "Output file (default: standard output).")
        Path output;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ExportFormat fmt = switch (format.toLowerCase(java.util.Locale.ROOT)) {
                case "jsonl" -> ExportFormat.JSONL;
                case "csv" -> ExportFormat.CSV;
                default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format must be jsonl or csv");
            };
            Instant start = instant(from);
            Instant end = instant(to);
            OperatorAudit audit = new OperatorAudit(source);
            try {
                audit.record(TrailEntries.exportRequested(TrailEntries.Via.CLI, TrailEntries.operatorAccount(), start, end, fmt));
            } catch (OperatorAudit.NotWritten e) {
                spec.commandLine().getErr().println("export refused: " + e.getMessage() + "; nothing was exported");
                return NOT_RECORDED;
            }
            OutputStream out = output == null ? System.out : new BufferedOutputStream(Files.newOutputStream(output));
            try {
                long n = AuditExporter.export(source.dataSource(), start, end, fmt, out);
                out.flush();
                spec.commandLine().getErr().println(n + " entries exported");
                try {
                    audit.record(TrailEntries.exported(TrailEntries.Via.CLI, TrailEntries.operatorAccount(), start, end, fmt, n));
                } catch (OperatorAudit.NotWritten e) {
                    spec.commandLine().getErr().println("warning: " + e.getMessage() + "; the request is in the trail, its count is not");
                }
            } finally {
                if (output != null) {
                    out.close();
                }
            }
            return 0;
        }

        private Instant instant(String s) {
            try {
                return s.length() == 10 ? LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC) : Instant.parse(s);
            } catch (java.time.format.DateTimeParseException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "not a date or instant: " + s);
            }
        }
    }
}
