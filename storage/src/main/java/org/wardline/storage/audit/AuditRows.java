package org.wardline.storage.audit;

import io.vertx.sqlclient.Row;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Maps {@code audit_entries} and {@code audit_checkpoints} rows from Vert.x and JDBC. */
final class AuditRows {
    static final String COLUMNS = "seq, occurred_at, actor_user_id, actor_device_id, source_ip, action, object_type,"
            + " object_id, outcome, request_id, flags, details, prev_hash, entry_hash";
    static final String CHECKPOINT_COLUMNS = "seq, entry_hash, previous_seq, created_at, key_id, algorithm, signature";

    private AuditRows() {
    }

    static AuditEntry fromRow(Row row) {
        return new AuditEntry(
                row.getLong("seq"),
                row.getOffsetDateTime("occurred_at").toInstant(),
                row.getUUID("actor_user_id"),
                row.getUUID("actor_device_id"),
                row.getString("source_ip"),
                row.getString("action"),
                row.getString("object_type"),
                row.getString("object_id"),
                row.getString("outcome"),
                row.getString("request_id"),
                row.getString("flags"),
                row.getString("details"),
                row.getBuffer("prev_hash").getBytes(),
                row.getBuffer("entry_hash").getBytes());
    }

    static AuditEntry fromResultSet(ResultSet rs) throws SQLException {
        return new AuditEntry(
                rs.getLong("seq"),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getObject("actor_user_id", UUID.class),
                rs.getObject("actor_device_id", UUID.class),
                rs.getString("source_ip"),
                rs.getString("action"),
                rs.getString("object_type"),
                rs.getString("object_id"),
                rs.getString("outcome"),
                rs.getString("request_id"),
                rs.getString("flags"),
                rs.getString("details"),
                rs.getBytes("prev_hash"),
                rs.getBytes("entry_hash"));
    }

    static AuditCheckpoint checkpointFromResultSet(ResultSet rs) throws SQLException {
        return new AuditCheckpoint(
                rs.getLong("seq"),
                rs.getBytes("entry_hash"),
                rs.getLong("previous_seq"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getString("key_id"),
                rs.getString("algorithm"),
                rs.getBytes("signature"));
    }
}
