package org.wardline.server.incident;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.retention.LegalHold;
import org.wardline.server.retention.RetentionStore;
import org.wardline.storage.audit.AuditSigner;
import org.wardline.storage.audit.EvidencePackage;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Preserves an incident's evidence: the audit entries in its scope sealed into a signed package
 * ({@link EvidencePackage}), its SHA-256 recorded on the timeline, and a legal hold on every user in scope (under the
 * incident's reference) so retention deletes nothing of theirs while the incident needs it.
 */
public final class EvidenceSealing {
    private final Vertx vertx;
    private final IncidentStore incidents;
    private final RetentionStore retention;
    private final AuditSigner signer;

    public EvidenceSealing(Vertx vertx, IncidentStore incidents, RetentionStore retention, AuditSigner signer) {
        this.vertx = vertx;
        this.incidents = incidents;
        this.retention = retention;
        this.signer = signer;
    }

    public Future<JsonObject> seal(Incident incident, IncidentScope scope, IncidentStore.Actor by) {
        if (!incident.status().acceptsActions()) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_CLOSED));
        }
        List<String> objects = new ArrayList<>();
        objects.add(incident.id().toString());
        scope.files().forEach(f -> objects.add(f.toString()));
        scope.links().forEach(l -> objects.add(l.toString()));
        scope.users().forEach(u -> objects.add(u.toString()));
        scope.devices().forEach(d -> objects.add(d.toString()));
        JsonObject manifest = new JsonObject().put("incidentId", incident.id().toString()).put("reference", incident.reference())
                .put("scope", scope.toJson()).put("sealedAt", by.at().toString()).put("sealedBy", by.userId().toString())
                .put("auditKeyId", signer.keyId());
        return EvidencePackage.entries(incidents.pool(), scope.from(), scope.to(), scope.users(), scope.devices(), objects)
                .compose(entries -> vertx.executeBlocking(() -> EvidencePackage.seal(manifest.put("entries", entries.size()), entries, signer))
                        .compose(sealed -> holds(incident, scope, by).compose(holds -> {
                            String sha256 = HexFormat.of().formatHex(sha256(sealed));
                            JsonObject result = new JsonObject().put("sha256", sha256).put("entries", entries.size())
                                    .put("bytes", sealed.length).put("holdsPlaced", holds);
                            return incidents.record(incident.id(), by, new IncidentStore.Step("evidence.sealed", "evidence", sha256,
                                    IncidentReason.PRESERVE_EVIDENCE.wireName(), result.copy()))
                                    .map(entry -> result.put("timelineEntry", entry)
                                            .put("package", Base64.getEncoder().encodeToString(sealed)));
                        })));
    }

    /** A hold on each user in scope not held yet, under the incident's reference; answers how many were placed. */
    private Future<Integer> holds(Incident incident, IncidentScope scope, IncidentStore.Actor by) {
        List<Future<Boolean>> placed = new ArrayList<>();
        for (UUID user : scope.users()) {
            placed.add(retention.placeHold(LegalHold.Scope.USER, user.toString(), incident.reference(), null, by.userId()).map(true)
                    .recover(e -> e instanceof WardlineHttpException w && (w.code() == ErrorCode.LEGAL_HOLD_CONFLICT
                            || w.code() == ErrorCode.UNKNOWN_USER) ? Future.succeededFuture(false) : Future.failedFuture(e)));
        }
        return Future.all(placed).map(all -> (int) placed.stream().filter(Future::result).count());
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
