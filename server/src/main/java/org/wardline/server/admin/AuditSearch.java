package org.wardline.server.admin;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.vertx.core.buffer.Buffer;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.Secret;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.sharelink.ContactSealing;
import org.wardline.storage.audit.AuditExporter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.wardline.server.auth.JsonExchange.uuid;

/**
 * Finds audit entries for the security officer's screen: by actor, by object (a file, a device, a share link…),
 * by time, or the one entry at a sequence number (the entry an alert names), newest first, at most
 * {@value #MAX_LIMIT}. Entries hold IDs, codes and the canonical details the trail stores; never content. A patient's
 * contact (the e-mail address or phone number links were sent to) finds the entries of every link sent to it: the
 * contact is compared only as the keyed hash the link row holds ({@link ContactSealing#lookupHash}), never stored.
 */
public final class AuditSearch {
    static final int MAX_LIMIT = 200;
    private static final int DEFAULT_LIMIT = 50;
    /** Object IDs in the trail are UUIDs, blob IDs and short codes; anything else is refused before the query. */
    private static final Pattern OBJECT_ID = Pattern.compile("[A-Za-z0-9._:/@-]{1,128}");
    private static final Pattern OBJECT_TYPE = Pattern.compile("[a-z][a-z0-9_.]{0,63}");

    private final Pool pool;
    private final ContactSealing contacts;

    public AuditSearch(Pool pool, ContactSealing contacts) {
        this.pool = pool;
        this.contacts = contacts;
    }

    /** A search for the entries of the links sent to one contact, optionally within a time range. */
    public record ContactQuery(Secret<String> contact, Instant from, Instant to, int limit) {
        public List<String> given() {
            List<String> out = new ArrayList<>(List.of("contact"));
            if (from != null) out.add("from");
            if (to != null) out.add("to");
            return out;
        }
    }

    /** Reads and checks a contact search's body; bad input fails with {@code request.invalid} before anything is read. */
    public static ContactQuery contactQuery(JsonObject body) {
        Object contact = body.getValue("contact");
        if (!(contact instanceof String c) || c.isBlank() || c.length() > 320) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
        Instant from = time(body.getValue("from") instanceof String f ? f : null);
        Instant to = time(body.getValue("to") instanceof String t ? t : null);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
        return new ContactQuery(Secret.of(c), from, to, MAX_LIMIT);
    }

    public Future<JsonObject> search(ContactQuery query) {
        Tuple args = Tuple.of(Buffer.buffer(contacts.lookupHash(query.contact())));
        List<String> where = new ArrayList<>(List.of("object_type = 'sharelink'",
                "object_id IN (SELECT link_id::text FROM share_links WHERE recipient_hmac = $1)"));
        if (query.from() != null) {
            args.addOffsetDateTime(query.from().atOffset(ZoneOffset.UTC));
            where.add("occurred_at >= $" + args.size());
        }
        if (query.to() != null) {
            args.addOffsetDateTime(query.to().atOffset(ZoneOffset.UTC));
            where.add("occurred_at < $" + args.size());
        }
        return run(where, args, query.limit());
    }

    /** The checked filters of one search; which of them were given is all the trail records of it. */
    public record Query(UUID actor, String objectType, String objectId, Instant from, Instant to, Long seq, int limit) {
        public List<String> given() {
            List<String> out = new ArrayList<>();
            if (actor != null) out.add("actor");
            if (objectType != null) out.add("objectType");
            if (objectId != null) out.add("objectId");
            if (from != null) out.add("from");
            if (to != null) out.add("to");
            if (seq != null) out.add("seq");
            return out;
        }
    }

    /** Reads and checks the query string; bad input fails with {@code request.invalid} before anything is read. */
    public static Query query(MultiMap q) {
        UUID actor = q.get("actor") == null || q.get("actor").isBlank() ? null : uuid(q.get("actor").strip());
        String objectType = optional(q.get("objectType"), OBJECT_TYPE);
        String objectId = optional(q.get("objectId"), OBJECT_ID);
        Instant from = time(q.get("from"));
        Instant to = time(q.get("to"));
        if (from != null && to != null && !from.isBefore(to)) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
        Long seq = number(q.get("seq"), Long.MAX_VALUE);
        Long limit = number(q.get("limit"), MAX_LIMIT);
        return new Query(actor, objectType, objectId, from, to, seq, limit == null ? DEFAULT_LIMIT : limit.intValue());
    }

    public Future<JsonObject> search(Query query) {
        List<String> where = new ArrayList<>();
        Tuple args = Tuple.tuple();
        if (query.actor() != null) {
            args.addUUID(query.actor());
            where.add("actor_user_id = $" + args.size());
        }
        if (query.objectType() != null) {
            args.addString(query.objectType());
            where.add("object_type = $" + args.size());
        }
        if (query.objectId() != null) {
            args.addString(query.objectId());
            where.add("object_id = $" + args.size());
        }
        if (query.from() != null) {
            args.addOffsetDateTime(query.from().atOffset(ZoneOffset.UTC));
            where.add("occurred_at >= $" + args.size());
        }
        if (query.to() != null) {
            args.addOffsetDateTime(query.to().atOffset(ZoneOffset.UTC));
            where.add("occurred_at < $" + args.size());
        }
        if (query.seq() != null) {
            args.addLong(query.seq());
            where.add("seq = $" + args.size());
        }
        return run(where, args, query.limit());
    }

    private Future<JsonObject> run(List<String> where, Tuple args, int limit) {
        args.addInteger(limit + 1);
        String sql = "SELECT seq, occurred_at, actor_user_id, actor_device_id, source_ip, action, object_type, object_id, outcome,"
                + " request_id, flags, details, entry_hash FROM audit_entries"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY seq DESC LIMIT $" + args.size();
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            JsonArray entries = new JsonArray();
            for (Row r : rows) {
                if (entries.size() < limit) {
                    entries.add(json(r));
                }
            }
            return new JsonObject().put("entries", entries).put("more", rows.size() > limit);
        });
    }

    private static JsonObject json(Row r) {
        UUID actor = r.getUUID("actor_user_id");
        UUID device = r.getUUID("actor_device_id");
        OffsetDateTime at = r.getOffsetDateTime("occurred_at");
        return new JsonObject().put("seq", r.getLong("seq")).put("occurredAt", at.toInstant().toString())
                .put("actorUserId", actor == null ? null : actor.toString())
                .put("actorDeviceId", device == null ? null : device.toString())
                .put("sourceIp", r.getString("source_ip")).put("action", r.getString("action"))
                .put("objectType", r.getString("object_type")).put("objectId", r.getString("object_id"))
                .put("outcome", r.getString("outcome")).put("requestId", r.getString("request_id"))
                .put("flags", r.getString("flags")).put("details", new JsonObject(r.getString("details")))
                .put("entryHash", HexFormat.of().formatHex(r.getBuffer("entry_hash").getBytes()));
    }

    private static String optional(String value, Pattern allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (!allowed.matcher(v).matches()) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
        return v;
    }

    private static Instant time(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return AuditExporter.parseTime(value);
        } catch (IllegalArgumentException e) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
    }

    private static Long number(String value, long max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n < 1 || n > max) {
                throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
    }
}
