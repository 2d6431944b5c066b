package org.wardline.server.incident;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.wardline.storage.audit.AuditSigner;
import org.wardline.storage.audit.EvidencePackage;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The incident report for the privacy officer and counsel, as JSON and as a PDF ({@link IncidentReportPdf}): the incident, its timeline, the containment, the
 * scope and what was disclosed (counted per patient), the assessment and the notification clock, the notifications,
 * the evidence packages sealed and the lessons learned; signed with the audit key as a CMS package that verifies like
 * an evidence package ({@code wardline audit verify --package}).
 */
public final class IncidentReport {
    private final Vertx vertx;
    private final Incidents incidents;
    private final Containment containment;
    private final IncidentDisclosures disclosures;
    private final AuditSigner signer;

    public IncidentReport(Vertx vertx, Incidents incidents, Containment containment, IncidentDisclosures disclosures,
                          AuditSigner signer) {
        this.vertx = vertx;
        this.incidents = incidents;
        this.containment = containment;
        this.disclosures = disclosures;
        this.signer = signer;
    }

    public Future<JsonObject> of(Incident i, Instant now) {
        BreachRecords breach = incidents.breach();
        return incidents.store().scope(i, now).compose(scope -> Future.all(incidents.timeline(i.id()), containment.containments(i.id()),
                disclosures.within(scope), breach.assessment(incidents.store().pool(), i.id()), breach.notifications(i.id()))
                .map(all -> {
                    List<TimelineEntry> timeline = all.resultAt(0);
                    JsonArray steps = new JsonArray();
                    JsonArray evidence = new JsonArray();
                    JsonArray lessons = new JsonArray();
                    for (TimelineEntry e : timeline) {
                        steps.add(e.toJson());
                        if (e.action().equals("evidence.sealed")) {
                            evidence.add(new JsonObject().put("sha256", e.objectId()).put("at", e.at().toString())
                                    .put("entries", e.details().getValue("entries")));
                        }
                        if (e.action().equals("lessons.recorded")) {
                            lessons = e.details().getJsonArray("lessons", new JsonArray());
                        }
                    }
                    JsonObject d = all.resultAt(2);
                    Optional<BreachAssessment> a = all.resultAt(3);
                    return new JsonObject().put("kind", "incident_report").put("generatedAt", now.toString())
                            .put("incident", i.toJson()).put("timeline", steps).put("containment", all.<JsonArray>resultAt(1))
                            .put("scope", scope.toJson()).put("disclosures", new JsonObject().put("totals", d.getJsonObject("totals"))
                                    .put("patients", d.getJsonArray("patients")))
                            .put("assessment", a.map(x -> x.toJson(i.discoveredAt(), now)).orElse(null))
                            .put("notifications", all.<JsonArray>resultAt(4)).put("evidencePackages", evidence)
                            .put("lessonsLearned", lessons);
                }));
    }

    /**
     * The report, the same report as a PDF ({@code pdf}, base64) whose SHA-256 the report names as {@code pdfSha256},
     * and the report signed ({@code signed}, base64 of the CMS package), so one signature vouches for both.
     */
    public Future<JsonObject> signed(Incident i, Instant now) {
        return of(i, now).compose(report -> vertx.executeBlocking(() -> {
            byte[] pdf = new IncidentReportPdf().render(report);
            report.put("pdfSha256", java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(pdf)));
            byte[] sealed = EvidencePackage.seal(report, List.of(), signer);
            return new JsonObject().put("report", report).put("signed", Base64.getEncoder().encodeToString(sealed))
                    .put("pdf", Base64.getEncoder().encodeToString(pdf));
        }));
    }
}
