package org.wardline.server.report;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.Secret;
import org.wardline.server.sharelink.ContactSealing;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The accounting of disclosures for one patient (45 CFR 164.528): every share link sent to them, each time it was
 * opened or downloaded, and its revocation, with dates, who sent it and which file (by ID and type, never its
 * name). The patient is named by the address the links were sent to; the address is only ever compared as a
 * keyed hash (HMAC-SHA256) of its normalised form, is not stored by this report and appears in no log or audit entry.
 */
public final class Disclosures {
    public static final List<String> CSV_HEADER = List.of("at", "event", "link_id", "sent_by_user_id", "sent_by",
            "file_id", "content_type", "mode", "outcome");

    private final Pool pool;
    private final ContactSealing contacts;

    public Disclosures(Pool pool, ContactSealing contacts) {
        this.pool = pool;
        this.contacts = contacts;
    }

    /** One dated line of the accounting. */
    public record Entry(OffsetDateTime at, String event, UUID linkId, UUID sentBy, String sentByName, UUID fileId,
                        String contentType, String mode, String outcome) {
        JsonObject toJson() {
            return new JsonObject().put("at", at.toInstant().toString()).put("event", event).put("linkId", linkId.toString())
                    .put("sentByUserId", sentBy.toString()).put("sentBy", sentByName).put("fileId", fileId.toString())
                    .put("contentType", contentType).put("mode", mode).put("outcome", outcome);
        }

        List<Object> row() {
            return List.of(at.toInstant().toString(), event, linkId.toString(), sentBy.toString(), String.valueOf(sentByName),
                    fileId.toString(), String.valueOf(contentType), mode, outcome);
        }
    }

    public Future<List<Entry>> forRecipient(Secret<String> address) {
        byte[] hash = contacts.lookupHash(address);
        List<Entry> out = new ArrayList<>();
        return pool.preparedQuery("""
                        SELECT l.link_id, l.owner_id, u.username, l.object_id, o.content_type, l.mode, l.created_at, l.revoked_at
                        FROM share_links l
                        LEFT JOIN users u ON u.id = l.owner_id
                        LEFT JOIN stored_objects o ON o.object_id = l.object_id
                        WHERE l.recipient_hmac = $1
                        ORDER BY l.created_at""")
                .execute(Tuple.of(Buffer.buffer(hash)))
                .compose(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    java.util.Map<UUID, Row> links = new java.util.HashMap<>();
                    for (Row r : rows) {
                        UUID id = r.getUUID("link_id");
                        ids.add(id);
                        links.put(id, r);
                        out.add(entry(r, r.getOffsetDateTime("created_at"), "sent", "success"));
                    }
                    if (ids.isEmpty()) {
                        return Future.succeededFuture(out);
                    }
                    return pool.preparedQuery("SELECT link_id, at, kind, outcome FROM share_link_events WHERE link_id = ANY($1) "
                                    + "ORDER BY at, id")
                            .execute(Tuple.of(ids.toArray(UUID[]::new))).map(events -> {
                                java.util.Set<UUID> revokedEvent = new java.util.HashSet<>();
                                for (Row e : events) {
                                    out.add(entry(links.get(e.getUUID("link_id")), e.getOffsetDateTime("at"), e.getString("kind"),
                                            e.getString("outcome")));
                                    if ("revoked".equals(e.getString("kind"))) {
                                        revokedEvent.add(e.getUUID("link_id"));
                                    }
                                }
                                // Revocations without an event of their own (offboarding, retention) come from the link row.
                                links.forEach((id, r) -> {
                                    if (r.getOffsetDateTime("revoked_at") != null && !revokedEvent.contains(id)) {
                                        out.add(entry(r, r.getOffsetDateTime("revoked_at"), "revoked", "success"));
                                    }
                                });
                                out.sort(Comparator.comparing(Entry::at));
                                return out;
                            });
                });
    }

    private static Entry entry(Row link, OffsetDateTime at, String event, String outcome) {
        return new Entry(at, event, link.getUUID("link_id"), link.getUUID("owner_id"), link.getString("username"),
                link.getUUID("object_id"), link.getString("content_type"), link.getString("mode").toLowerCase(Locale.ROOT), outcome);
    }

    public static JsonObject toJson(List<Entry> entries) {
        JsonArray a = new JsonArray();
        entries.forEach(e -> a.add(e.toJson()));
        return new JsonObject().put("standard", "45 CFR 164.528").put("purpose", "file shared with the patient through a Wardline link")
                .put("links", entries.stream().map(Entry::linkId).distinct().count()).put("entries", a);
    }

    public static String toCsv(List<Entry> entries) {
        return Csv.of(CSV_HEADER, entries.stream().map(Entry::row).toList());
    }
}
