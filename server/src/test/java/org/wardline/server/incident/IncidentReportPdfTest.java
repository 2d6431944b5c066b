package org.wardline.server.incident;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The incident report as a PDF: every section present, long lines wrapped, many steps over pages, any text accepted. */
class IncidentReportPdfTest {
    @Test
    void aLongTimelineRunsOverPagesAndEverySectionIsThere() throws Exception {
        JsonArray timeline = new JsonArray();
        for (int i = 0; i < 120; i++) {
            timeline.add(new JsonObject().put("at", "2026-12-07T10:" + String.format("%02d", i % 60) + ":00Z")
                    .put("action", "step." + i).put("actorUserId", "officer-" + i).put("objectType", "user")
                    .put("objectId", "subject-" + i).put("reason", "investigation"));
        }
        String text = text(new IncidentReportPdf().render(report(timeline, "learned_" + "x".repeat(400))));
        assertThat(text).contains("Incident report INC-20261207-ABC123").contains("Timeline").contains("step.0").contains("step.119")
                .contains("Containment").contains("No containment taken.").contains("What was disclosed").contains("patients: 2")
                .contains("Breach risk assessment").contains("Not assessed yet.").contains("Notifications").contains("None recorded.")
                .contains("Evidence packages").contains("None sealed.").contains("Lessons learned");
        try (PDDocument doc = Loader.loadPDF(new IncidentReportPdf().render(report(timeline, "short")))) {
            assertThat(doc.getNumberOfPages()).as("120 steps do not fit one page").isGreaterThan(1);
            assertThat(doc.getDocumentInformation().getTitle()).isEqualTo("Incident report INC-20261207-ABC123");
        }
    }

    @Test
    void textTheStandardFontsCannotShowIsReplacedNotRefused() throws Exception {
        JsonArray timeline = new JsonArray().add(new JsonObject().put("at", "2026-12-07T10:00:00Z").put("action", "note")
                .put("actorUserId", "Zoë Ångström 李 \u0000\t").put("reason", "other"));
        String text = text(new IncidentReportPdf().render(report(timeline, "none")));
        assertThat(text).contains("Zo? ?ngstr?m ?");
    }

    private static JsonObject report(JsonArray timeline, String lesson) {
        return new JsonObject().put("kind", "incident_report").put("generatedAt", "2026-12-07T11:00:00Z")
                .put("incident", new JsonObject().put("reference", "INC-20261207-ABC123").put("status", "open"))
                .put("timeline", timeline).put("containment", new JsonArray())
                .put("scope", new JsonObject().put("from", "2026-11-07T00:00:00Z"))
                .put("disclosures", new JsonObject().put("totals", new JsonObject().put("patients", 2)).put("patients", new JsonArray()))
                .putNull("assessment").put("notifications", new JsonArray()).put("evidencePackages", new JsonArray())
                .put("lessonsLearned", new JsonArray().add(lesson));
    }

    private static String text(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }
}
