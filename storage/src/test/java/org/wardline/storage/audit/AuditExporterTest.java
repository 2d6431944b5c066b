package org.wardline.storage.audit;

import io.vertx.core.json.JsonObject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.junit.PostgresExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditExporterTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private AuditFixture fixture;
    private List<AuditReceipt> receipts;

    @BeforeEach
    void start() {
        fixture = AuditFixture.start(PG);
        receipts = fixture.recordMany(fixture.log(AuditLogConfig.DEFAULT), 10);
        for (int i = 1; i < receipts.size(); i++) {
            assertThat(receipts.get(i).occurredAt()).isAfter(receipts.get(i - 1).occurredAt());
        }
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private String export(Instant from, Instant to, ExportFormat format, long expectedCount) throws SQLException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long count = AuditExporter.export(PG.dataSource(), from, to, format, out);
        assertThat(count).isEqualTo(expectedCount);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonLinesCoverTheHalfOpenRangeAndLetTheAuditorRecomputeHashes() throws Exception {
        Instant from = receipts.get(3).occurredAt();
        Instant to = receipts.get(7).occurredAt();

        String text = export(from, to, ExportFormat.JSONL, 4);

        List<JsonObject> lines = text.lines().map(JsonObject::new).toList();
        assertThat(lines).extracting(line -> line.getLong("seq")).containsExactly(4L, 5L, 6L, 7L);
        JsonObject first = lines.get(0);
        assertThat(first.fieldNames()).containsExactlyElementsOf(AuditExporter.COLUMNS);
        assertThat(first.getString("action")).isEqualTo("file.downloaded");
        assertThat(first.getString("actor_device_id")).isEqualTo(new UUID(0, 7).toString());
        assertThat(first.getString("request_id")).isEqualTo("req-4");
        assertThat(new JsonObject(first.getString("details")).getLong("bytes")).isEqualTo(1004L);
        assertThat(first.getString("entry_hash")).isEqualTo(receipts.get(3).entryHashHex());

        for (JsonObject line : lines) {
            AuditEntry entry = fromJson(line);
            assertThat(HexFormat.of().formatHex(AuditCanonical.entryHash(entry.previousHash(), entry)))
                    .isEqualTo(line.getString("entry_hash"));
        }
    }

    @Test
    void csvHasAHeaderAndParsesBackToTheSameValues() throws Exception {
        String text = export(receipts.get(0).occurredAt(), Instant.now().plus(Duration.ofMinutes(1)), ExportFormat.CSV, 10);

        List<CSVRecord> records = parse(text);
        assertThat(records).hasSize(10);
        CSVRecord first = records.get(0);
        assertThat(first.get("seq")).isEqualTo("1");
        assertThat(first.get("details")).isEqualTo("{\"bytes\":1001,\"mime\":\"application/pdf\"}");
        assertThat(first.get("flags")).isEqualTo("phi_access");
        assertThat(first.get("entry_hash")).isEqualTo(receipts.get(0).entryHashHex());
        assertThat(first.get("time")).isEqualTo(AuditCanonical.formatTime(receipts.get(0).occurredAt()));
    }

    @Test
    void csvEscapesCommasQuotesAndNewlines() throws Exception {
        // Valid entries cannot hold such characters; a tampered row can, and the export must stay well-formed.
        fixture.tamper("UPDATE audit_entries SET object_id = E'a,b \"quoted\"\\nnext line' WHERE seq = 2");

        String text = export(receipts.get(0).occurredAt(), receipts.get(3).occurredAt(), ExportFormat.CSV, 3);

        List<CSVRecord> records = parse(text);
        assertThat(records).hasSize(3);
        assertThat(records.get(1).get("object_id")).isEqualTo("a,b \"quoted\"\nnext line");
        assertThat(records.get(2).get("seq")).isEqualTo("3");
        assertThat(text).contains("\"a,b \"\"quoted\"\"\nnext line\"");

        String jsonl = export(receipts.get(0).occurredAt(), receipts.get(3).occurredAt(), ExportFormat.JSONL, 3);
        assertThat(jsonl.lines()).hasSize(3);
        assertThat(new JsonObject(jsonl.lines().toList().get(1)).getString("object_id")).isEqualTo("a,b \"quoted\"\nnext line");
    }

    @Test
    void checkpointsExportWithSignaturesTheAuditorCanCheck() throws Exception {
        AuditCheckpoint signed = AuditFixture.await(fixture.log(AuditLogConfig.DEFAULT).checkpoint()).orElseThrow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        long count = AuditExporter.exportCheckpoints(PG.dataSource(), receipts.get(0).occurredAt(),
                Instant.now().plus(Duration.ofMinutes(1)), ExportFormat.JSONL, out);

        assertThat(count).isEqualTo(1);
        JsonObject line = new JsonObject(out.toString(StandardCharsets.UTF_8).strip());
        assertThat(line.fieldNames()).containsExactlyElementsOf(AuditExporter.CHECKPOINT_COLUMNS);
        assertThat(line.getLong("seq")).isEqualTo(10L).isEqualTo(signed.seq());
        assertThat(line.getString("entry_hash")).isEqualTo(receipts.get(9).entryHashHex());
        byte[] payload = AuditCanonical.checkpointPayload(line.getLong("seq"), HexFormat.of().parseHex(line.getString("entry_hash")),
                line.getLong("previous_seq"), Instant.parse(line.getString("created_at")), line.getString("key_id"));
        assertThat(AuditSigner.verify(AuditFixture.SIGNER.publicKey(), line.getString("algorithm"), payload,
                java.util.Base64.getDecoder().decode(line.getString("signature")))).isTrue();

        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        AuditExporter.exportCheckpoints(PG.dataSource(), receipts.get(0).occurredAt(),
                Instant.now().plus(Duration.ofMinutes(1)), ExportFormat.CSV, csv);
        List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv.toString(StandardCharsets.UTF_8))).getRecords();
        assertThat(records).singleElement().satisfies(r -> assertThat(r.get("signature")).isEqualTo(line.getString("signature")));
    }

    @Test
    void emptyOrReversedRangeIsRefused() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> AuditExporter.export(PG.dataSource(), now, now, ExportFormat.CSV, new ByteArrayOutputStream()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'from' must be before 'to'");
    }

    @Test
    void rangeWithoutEntriesWritesOnlyTheCsvHeader() throws Exception {
        Instant past = Instant.parse("2000-01-01T00:00:00Z");
        assertThat(export(past, past.plusSeconds(60), ExportFormat.CSV, 0).strip())
                .isEqualTo(String.join(",", AuditExporter.COLUMNS));
        assertThat(export(past, past.plusSeconds(60), ExportFormat.JSONL, 0)).isEmpty();
    }

    private static List<CSVRecord> parse(String text) throws IOException {
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(text))) {
            assertThat(parser.getHeaderNames()).containsExactlyElementsOf(AuditExporter.COLUMNS);
            return parser.getRecords();
        }
    }

    private static AuditEntry fromJson(JsonObject line) {
        HexFormat hex = HexFormat.of();
        return new AuditEntry(line.getLong("seq"), Instant.parse(line.getString("time")),
                uuid(line.getString("actor_user_id")), uuid(line.getString("actor_device_id")),
                line.getString("source_ip"), line.getString("action"), line.getString("object_type"),
                line.getString("object_id"), line.getString("outcome"), line.getString("request_id"),
                line.getString("flags"), line.getString("details"),
                hex.parseHex(line.getString("prev_hash")), hex.parseHex(line.getString("entry_hash")));
    }

    private static UUID uuid(String text) {
        return text == null ? null : UUID.fromString(text);
    }
}
