package org.wardline.server.incident;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The incident report (the JSON {@link IncidentReport} builds) as a PDF for the privacy officer and counsel, with
 * Apache PDFBox: one section per part of the report, in the report's order. The PDF's SHA-256 goes into the signed
 * report ({@code pdfSha256}), so the signature over the report vouches for this document too.
 */
public final class IncidentReportPdf {
    private static final float MARGIN = 50;
    private static final float BODY = 9.5f;
    private static final float HEADING = 13;
    private static final float TITLE = 17;
    private static final float LEADING = 1.35f;

    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);

    /** Renders {@code report}; CPU work, for a worker thread. */
    public byte[] render(JsonObject report) {
        JsonObject incident = report.getJsonObject("incident", new JsonObject());
        try (PDDocument doc = new PDDocument(); Writer w = new Writer(doc)) {
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle("Incident report " + incident.getString("reference", ""));
            info.setProducer("Wardline");
            w.line(bold, TITLE, "Incident report " + incident.getString("reference", ""));
            w.line(regular, BODY, "Generated " + report.getString("generatedAt", "") + ". The signed report (wardline audit verify "
                    + "--package) names this PDF's SHA-256 as pdfSha256.");
            w.gap();
            section(w, "Incident", fields(incident));
            w.heading("Timeline");
            list(w, report.getJsonArray("timeline"), e -> e.getString("at") + "  " + e.getString("action") + "  by "
                    + e.getString("actorUserId") + objectOf(e) + reasonOf(e), "No steps recorded.");
            w.heading("Containment");
            list(w, report.getJsonArray("containment"), c -> c.getString("containedAt") + "  " + c.getString("action") + objectOf(c)
                    + reasonOf(c) + "  result " + c.getValue("result"), "No containment taken.");
            section(w, "Scope", fields(report.getJsonObject("scope", new JsonObject())));
            JsonObject disclosures = report.getJsonObject("disclosures", new JsonObject());
            section(w, "What was disclosed", fields(disclosures.getJsonObject("totals", new JsonObject())));
            list(w, disclosures.getJsonArray("patients"), p -> "patient " + p.getString("patientKey") + "  links "
                    + size(p.getValue("links")) + "  files " + size(p.getValue("files")) + "  opened " + p.getValue("opened")
                    + "  downloaded " + p.getValue("downloaded") + "  workforce accesses " + p.getValue("workforceAccesses"),
                    "No patient's files or links in scope.");
            JsonObject assessment = report.getJsonObject("assessment");
            section(w, "Breach risk assessment (45 CFR 164.402)", assessment == null ? List.of("Not assessed yet.") : fields(assessment));
            w.heading("Notifications");
            list(w, report.getJsonArray("notifications"), n -> String.join("  ", fields(n)), "None recorded.");
            w.heading("Evidence packages");
            list(w, report.getJsonArray("evidencePackages"), p -> p.getString("at") + "  SHA-256 " + p.getString("sha256")
                    + "  entries " + p.getValue("entries"), "None sealed.");
            w.heading("Lessons learned");
            JsonArray lessons = report.getJsonArray("lessonsLearned", new JsonArray());
            if (lessons.isEmpty()) {
                w.line(regular, BODY, "None recorded.");
            }
            lessons.forEach(l -> w.line(regular, BODY, "- " + l));
            w.close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void section(Writer w, String title, List<String> lines) {
        w.heading(title);
        if (lines.isEmpty()) {
            w.line(regular, BODY, "Nothing recorded.");
        }
        lines.forEach(l -> w.line(regular, BODY, l));
    }

    private void list(Writer w, JsonArray items, java.util.function.Function<JsonObject, String> line, String none) {
        if (items == null || items.isEmpty()) {
            w.line(regular, BODY, none);
            return;
        }
        for (Object o : items) {
            w.line(regular, BODY, o instanceof JsonObject j ? line.apply(j) : String.valueOf(o));
        }
    }

    private static String objectOf(JsonObject e) {
        return e.getString("objectType") == null ? "" : "  " + e.getString("objectType") + " " + e.getString("objectId");
    }

    private static String reasonOf(JsonObject e) {
        return e.getString("reason") == null ? "" : "  reason " + e.getString("reason");
    }

    private static int size(Object v) {
        return v instanceof JsonArray a ? a.size() : v == null ? 0 : 1;
    }

    /** "key: value" lines of an object, nested keys joined with dots. */
    static List<String> fields(JsonObject o) {
        List<String> out = new ArrayList<>();
        flatten("", o, out);
        return out;
    }

    private static void flatten(String prefix, JsonObject o, List<String> out) {
        for (Map.Entry<String, Object> e : o) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof JsonObject nested) {
                flatten(key, nested, out);
            } else if (e.getValue() != null) {
                out.add(key + ": " + e.getValue());
            }
        }
    }

    /** Lines down the pages, wrapping at the margin and starting a page when one is full. */
    private static final class Writer implements AutoCloseable {
        private final PDDocument doc;
        private final PDType1Font headingFont = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
        private PDPageContentStream stream;
        private float y;

        Writer(PDDocument doc) {
            this.doc = doc;
        }

        void heading(String text) {
            gap();
            line(headingFont, HEADING, text);
        }

        void gap() {
            y -= BODY;
        }

        void line(PDType1Font font, float size, String text) {
            for (String part : wrap(font, size, printable(text))) {
                if (stream == null || y < MARGIN + size) {
                    page();
                }
                y -= size * LEADING;
                try {
                    stream.beginText();
                    stream.setFont(font, size);
                    stream.newLineAtOffset(MARGIN, y);
                    stream.showText(part);
                    stream.endText();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        private void page() {
            try {
                if (stream != null) {
                    stream.close();
                }
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                stream = new PDPageContentStream(doc, page);
                y = page.getMediaBox().getHeight() - MARGIN;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static List<String> wrap(PDType1Font font, float size, String text) {
            float width = PDRectangle.A4.getWidth() - 2 * MARGIN;
            List<String> lines = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String word : text.split(" ", -1)) {
                String candidate = current.isEmpty() ? word : current + " " + word;
                if (!current.isEmpty() && width(font, size, candidate) > width) {
                    lines.add(current.toString());
                    current = new StringBuilder(word);
                } else {
                    current = new StringBuilder(candidate);
                }
                while (width(font, size, current.toString()) > width && current.length() > 1) {
                    int cut = current.length() - 1;
                    while (cut > 1 && width(font, size, current.substring(0, cut)) > width) {
                        cut--;
                    }
                    lines.add(current.substring(0, cut));
                    current = new StringBuilder(current.substring(cut));
                }
            }
            lines.add(current.toString());
            return lines;
        }

        private static float width(PDType1Font font, float size, String s) {
            try {
                return font.getStringWidth(s) / 1000 * size;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The standard fonts encode Latin-1 text only; report fields are codes, IDs and times, so nothing is lost. */
        private static String printable(String s) {
            StringBuilder b = new StringBuilder(s.length());
            s.codePoints().forEach(c -> b.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
            return b.toString();
        }

        @Override
        public void close() {
            if (stream != null) {
                try {
                    stream.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                stream = null;
            }
        }
    }
}
