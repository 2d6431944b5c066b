package org.wardline.server.incident;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What was disclosed within an incident's scope, counted per patient: the files involved (those the scope names,
 * those its users or devices opened, downloaded or exported, those of its links), who in the workforce opened or
 * downloaded each and when (from the audit trail), the share links to them and what each recipient did (opened,
 * downloaded; from the share-link events). A patient is the recipient of a link, named by a pseudonymous key drawn
 * from the keyed hash of their address (never the address: it is sealed at rest, and the officer confirms one patient
 * with {@code wardline admin report disclosures --recipient}). Feeds the accounting of disclosures (164.528) and the
 * notification list.
 */
public final class IncidentDisclosures {
    private static final List<String> ACCESS = List.of("file.downloaded", "file.viewed", "file.exported");
    private final Pool pool;

    public IncidentDisclosures(Pool pool) {
        this.pool = pool;
    }

    /** A patient's key: {@code P-} and the first 8 bytes of the recipient's HMAC, hex. */
    static String patientKey(byte[] hmac) {
        return "P-" + HexFormat.of().formatHex(hmac, 0, Math.min(8, hmac.length));
    }

    public Future<JsonObject> within(IncidentScope scope) {
        OffsetDateTime from = OffsetDateTime.ofInstant(scope.from(), ZoneOffset.UTC);
        OffsetDateTime to = OffsetDateTime.ofInstant(scope.to(), ZoneOffset.UTC);
        return pool.preparedQuery("SELECT seq, occurred_at, actor_user_id, actor_device_id, action, object_id FROM audit_entries "
                        + "WHERE occurred_at >= $1 AND occurred_at < $2 AND outcome = 'success' AND action = ANY($3) "
                        + "AND object_type = 'file' AND (actor_user_id = ANY($4) OR actor_device_id = ANY($5) OR object_id = ANY($6)) "
                        + "ORDER BY seq")
                .execute(Tuple.wrap(new Object[]{from, to, ACCESS.toArray(String[]::new), scope.users().toArray(UUID[]::new),
                        scope.devices().toArray(UUID[]::new), scope.files().stream().map(UUID::toString).toArray(String[]::new)}))
                .compose(accesses -> {
                    Set<UUID> files = new LinkedHashSet<>(scope.files());
                    Map<UUID, JsonArray> byFile = new TreeMap<>();
                    for (Row a : accesses) {
                        UUID file = UUID.fromString(a.getString("object_id"));
                        files.add(file);
                        byFile.computeIfAbsent(file, f -> new JsonArray()).add(new JsonObject()
                                .put("at", a.getOffsetDateTime("occurred_at").toInstant().toString()).put("action", a.getString("action"))
                                .put("userId", string(a.getUUID("actor_user_id"))).put("deviceId", string(a.getUUID("actor_device_id")))
                                .put("auditSeq", a.getLong("seq")));
                    }
                    return pool.preparedQuery("SELECT l.link_id, l.object_id, l.owner_id, l.recipient_hmac, l.created_at, o.content_type "
                                    + "FROM share_links l LEFT JOIN stored_objects o ON o.object_id = l.object_id "
                                    + "WHERE l.created_at < $1 AND (l.object_id = ANY($2) OR l.link_id = ANY($3) "
                                    + "OR (l.owner_id = ANY($4) AND l.created_at >= $5)) ORDER BY l.created_at, l.link_id")
                            .execute(Tuple.of(to, files.toArray(UUID[]::new), scope.links().toArray(UUID[]::new),
                                    scope.users().toArray(UUID[]::new), from))
                            .compose(links -> events(links, from, to).map(events -> report(scope, files, byFile, links, events)));
                });
    }

    private Future<Map<UUID, List<Row>>> events(Iterable<Row> links, OffsetDateTime from, OffsetDateTime to) {
        List<UUID> ids = new ArrayList<>();
        links.forEach(l -> ids.add(l.getUUID("link_id")));
        return pool.preparedQuery("SELECT link_id, at, kind, outcome FROM share_link_events WHERE link_id = ANY($1) "
                        + "AND at >= $2 AND at < $3 AND kind IN ('opened', 'downloaded') AND outcome = 'success' ORDER BY at, id")
                .execute(Tuple.of(ids.toArray(UUID[]::new), from, to)).map(rows -> {
                    Map<UUID, List<Row>> out = new TreeMap<>();
                    rows.forEach(r -> out.computeIfAbsent(r.getUUID("link_id"), x -> new ArrayList<>()).add(r));
                    return out;
                });
    }

    private static JsonObject report(IncidentScope scope, Set<UUID> files, Map<UUID, JsonArray> byFile, Iterable<Row> links,
                                     Map<UUID, List<Row>> events) {
        Map<String, JsonObject> patients = new TreeMap<>();
        Map<UUID, Set<String>> patientsOfFile = new TreeMap<>();
        int linkCount = 0;
        long opened = 0;
        long downloaded = 0;
        for (Row l : links) {
            linkCount++;
            UUID link = l.getUUID("link_id");
            UUID file = l.getUUID("object_id");
            files.add(file);
            io.vertx.core.buffer.Buffer hmac = l.getBuffer("recipient_hmac");
            String key = hmac == null ? "P-unsealed-" + link : patientKey(hmac.getBytes());
            patientsOfFile.computeIfAbsent(file, f -> new java.util.TreeSet<>()).add(key);
            JsonObject p = patients.computeIfAbsent(key, k -> new JsonObject().put("patientKey", k).put("links", new JsonArray())
                    .put("files", new JsonArray()).put("opened", 0L).put("downloaded", 0L).put("events", new JsonArray()));
            p.getJsonArray("links").add(link.toString());
            if (!p.getJsonArray("files").contains(file.toString())) {
                p.getJsonArray("files").add(file.toString());
            }
            for (Row e : events.getOrDefault(link, List.of())) {
                String kind = e.getString("kind");
                p.put(kind, p.getLong(kind) + 1);
                if (kind.equals("opened")) {
                    opened++;
                } else {
                    downloaded++;
                }
                p.getJsonArray("events").add(new JsonObject().put("at", e.getOffsetDateTime("at").toInstant().toString())
                        .put("linkId", link.toString()).put("kind", kind));
            }
        }
        long workforce = 0;
        JsonArray fileList = new JsonArray();
        int unattributed = 0;
        for (UUID f : new java.util.TreeSet<>(files)) {
            JsonArray accesses = byFile.getOrDefault(f, new JsonArray());
            workforce += accesses.size();
            Set<String> keys = patientsOfFile.getOrDefault(f, Set.of());
            if (keys.isEmpty()) {
                unattributed++;
            }
            for (String k : keys) {
                JsonObject p = patients.get(k);
                p.put("workforceAccesses", p.getLong("workforceAccesses", 0L) + accesses.size());
            }
            fileList.add(new JsonObject().put("fileId", f.toString()).put("patients", new JsonArray(List.copyOf(keys)))
                    .put("accesses", accesses));
        }
        JsonArray patientList = new JsonArray();
        patients.values().forEach(p -> patientList.add(p.put("workforceAccesses", p.getLong("workforceAccesses", 0L))));
        return new JsonObject().put("standard", "45 CFR 164.528").put("scope", scope.toJson())
                .put("totals", new JsonObject().put("patients", patients.size()).put("files", files.size()).put("links", linkCount)
                        .put("workforceAccesses", workforce).put("patientOpens", opened).put("patientDownloads", downloaded)
                        .put("filesWithoutAKnownPatient", unattributed))
                .put("patients", patientList).put("files", fileList);
    }

    private static String string(UUID id) {
        return id == null ? null : id.toString();
    }
}
