package org.wardline.storage.audit;

import io.vertx.core.json.JsonObject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import javax.sql.DataSource;

/**
 * Streams the audit trail to an auditor (blocking JDBC; run it off the event loop). Memory use does not
 * depend on the range's size.
 *
 * <p>{@link #export} writes the entries with {@code occurred_at} in {@code [from, to)}, in chain order,
 * every field exactly as stored, including {@code details} as its canonical JSON text and both hashes in
 * hex, so an auditor can recompute any entry's hash with {@link AuditCanonical}. Columns (CSV header,
 * JSON keys): {@value #COLUMN_LIST}.
 *
 * <p>{@link #exportCheckpoints} writes the signed checkpoints created in a range, so the auditor can
 * check their signatures against the audit certificate and match their hashes to exported entries.
 * Columns: {@value #CHECKPOINT_COLUMN_LIST} (signature in base64).
 */
public final class AuditExporter {
    static final String COLUMN_LIST = "seq, time, actor_user_id, actor_device_id, source_ip, action, object_type,"
            + " object_id, outcome, request_id, flags, details, prev_hash, entry_hash";
    static final String CHECKPOINT_COLUMN_LIST = "seq, created_at, entry_hash, previous_seq, key_id, algorithm, signature";
    /** Entry header row and JSON keys, in order. */
    public static final List<String> COLUMNS = List.of(COLUMN_LIST.split(", "));
    /** Checkpoint header row and JSON keys, in order. */
    public static final List<String> CHECKPOINT_COLUMNS = List.of(CHECKPOINT_COLUMN_LIST.split(", "));

    private static final int FETCH_SIZE = 2000;
    private static final String ENTRY_QUERY = "SELECT " + AuditRows.COLUMNS
            + " FROM audit_entries WHERE occurred_at >= ? AND occurred_at < ? ORDER BY seq";
    private static final String CHECKPOINT_QUERY = "SELECT " + AuditRows.CHECKPOINT_COLUMNS
            + " FROM audit_checkpoints WHERE created_at >= ? AND created_at < ? ORDER BY seq";

    private AuditExporter() {
    }

    /**
     * Writes the entries with {@code from <= time < to} to {@code out} (which is flushed, not closed).
     *
     * @return the number of entries written
     */
    public static long export(DataSource dataSource, Instant from, Instant to, ExportFormat format, OutputStream out)
            throws SQLException, IOException {
        return write(dataSource, ENTRY_QUERY, from, to, format, out, COLUMNS,
                rows -> entryValues(AuditRows.fromResultSet(rows)));
    }

    /**
     * Writes the checkpoints created in {@code [from, to)} to {@code out} (which is flushed, not closed).
     *
     * @return the number of checkpoints written
     */
    public static long exportCheckpoints(DataSource dataSource, Instant from, Instant to, ExportFormat format,
            OutputStream out) throws SQLException, IOException {
        return write(dataSource, CHECKPOINT_QUERY, from, to, format, out, CHECKPOINT_COLUMNS,
                rows -> checkpointValues(AuditRows.checkpointFromResultSet(rows)));
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

    private interface RowValues {
        List<Object> read(ResultSet rows) throws SQLException;
    }

    private static long write(DataSource dataSource, String sql, Instant from, Instant to, ExportFormat format,
            OutputStream out, List<String> columns, RowValues values) throws SQLException, IOException {
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
            try (PreparedStatement query = conn.prepareStatement(sql)) {
                query.setFetchSize(FETCH_SIZE);
                query.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
                query.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
                try (ResultSet rows = query.executeQuery()) {
                    long count = format == ExportFormat.CSV
                            ? writeCsv(rows, writer, columns, values)
                            : writeJsonLines(rows, writer, columns, values);
                    writer.flush();
                    return count;
                }
            } finally {
                conn.rollback();
            }
        }
    }

    private static long writeJsonLines(ResultSet rows, Writer writer, List<String> columns, RowValues values)
            throws SQLException, IOException {
        long count = 0;
        while (rows.next()) {
            List<Object> row = values.read(rows);
            JsonObject line = new JsonObject();
            for (int i = 0; i < columns.size(); i++) {
                line.put(columns.get(i), row.get(i));
            }
            writer.write(line.encode());
            writer.write('\n');
            count++;
        }
        return count;
    }

    private static long writeCsv(ResultSet rows, Writer writer, List<String> columns, RowValues values)
            throws SQLException, IOException {
        CSVFormat csv = CSVFormat.RFC4180.builder().setHeader(columns.toArray(String[]::new)).get();
        CSVPrinter printer = new CSVPrinter(writer, csv);
        long count = 0;
        while (rows.next()) {
            printer.printRecord(values.read(rows));
            count++;
        }
        printer.flush();
        return count;
    }

    private static List<Object> entryValues(AuditEntry e) {
        return Arrays.asList(
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

    private static List<Object> checkpointValues(AuditCheckpoint c) {
        return Arrays.asList(
                c.seq(),
                AuditCanonical.formatTime(c.createdAt()),
                HexFormat.of().formatHex(c.entryHash()),
                c.previousSeq(),
                c.keyId(),
                c.algorithm(),
                Base64.getEncoder().encodeToString(c.signature()));
    }
}
