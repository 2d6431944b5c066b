package org.wardline.storage.audit;

import io.vertx.core.json.JsonObject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

import javax.sql.DataSource;

/**
 * Streams the audit entries of a time range to an auditor (blocking JDBC; run it off the event loop).
 * Entries come in chain order with {@code occurred_at} in {@code [from, to)}. Every field is written
 * exactly as stored, including {@code details} as its canonical JSON text and both hashes in hex, so an
 * auditor can recompute any entry's hash with {@link AuditCanonical} and spot-check it against the
 * signed checkpoints. Memory use does not depend on the range's size.
 *
 * <p>Columns (CSV header, JSON keys): {@value #COLUMN_LIST}.
 */
public final class AuditExporter {
    static final String COLUMN_LIST = "seq, time, actor_user_id, actor_device_id, source_ip, action, object_type,"
            + " object_id, outcome, request_id, flags, details, prev_hash, entry_hash";
    /** Header row and JSON keys, in order. */
    public static final List<String> COLUMNS = List.of(COLUMN_LIST.split(", "));

    private static final int FETCH_SIZE = 2000;
    private static final String QUERY = "SELECT " + AuditRows.COLUMNS
            + " FROM audit_entries WHERE occurred_at >= ? AND occurred_at < ? ORDER BY seq";

    private AuditExporter() {
    }

    /**
     * Writes the entries with {@code from <= time < to} to {@code out} (which is flushed, not closed).
     *
     * @return the number of entries written
     */
    public static long export(DataSource dataSource, Instant from, Instant to, ExportFormat format, OutputStream out)
            throws SQLException, IOException {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(format, "format");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("export range is empty: 'from' must be before 'to'");
        }
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            conn.setReadOnly(true);
            try (PreparedStatement query = conn.prepareStatement(QUERY)) {
                query.setFetchSize(FETCH_SIZE);
                query.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
                query.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
                try (ResultSet rows = query.executeQuery()) {
                    long count = format == ExportFormat.CSV ? writeCsv(rows, writer) : writeJsonLines(rows, writer);
                    writer.flush();
                    return count;
                }
            } finally {
                conn.rollback();
            }
        }
    }

    /**
     * Parses a {@code --from}/{@code --to} value: an instant ({@code 2026-11-23T14:00:00Z}), a date-time with
     * offset ({@code 2026-11-23T09:00:00-05:00}) or a date ({@code 2026-11-23}, meaning midnight UTC).
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Instant parseTime(String text) {
        if (text != null) {
            String value = text.trim();
            try {
                if (value.length() == 10) {
                    return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException(
                "time must be a date (2026-11-23) or an ISO-8601 date-time with offset (2026-11-23T14:00:00Z)");
    }

    private static long writeJsonLines(ResultSet rows, Writer writer) throws SQLException, IOException {
        long count = 0;
        while (rows.next()) {
            List<Object> values = values(AuditRows.fromResultSet(rows));
            JsonObject line = new JsonObject();
            for (int i = 0; i < COLUMNS.size(); i++) {
                line.put(COLUMNS.get(i), values.get(i));
            }
            writer.write(line.encode());
            writer.write('\n');
            count++;
        }
        return count;
    }

    private static long writeCsv(ResultSet rows, Writer writer) throws SQLException, IOException {
        CSVFormat csv = CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new)).get();
        long count = 0;
        try {
            CSVPrinter printer = new CSVPrinter(writer, csv);
            while (rows.next()) {
                printer.printRecord(values(AuditRows.fromResultSet(rows)));
                count++;
            }
            printer.flush();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return count;
    }

    private static List<Object> values(AuditEntry e) {
        return java.util.Arrays.asList(
                e.seq(),
                AuditCanonical.formatTime(e.occurredAt()),
                e.actorUserId() == null ? null : e.actorUserId().toString(),
                e.actorDeviceId() == null ? null : e.actorDeviceId().toString(),
                e.sourceIp(),
                e.action(),
                e.objectType(),
                e.objectId(),
                e.outcome(),
                e.requestId(),
                e.flags(),
                e.details(),
                e.previousHashHex(),
                e.entryHashHex());
    }
}
