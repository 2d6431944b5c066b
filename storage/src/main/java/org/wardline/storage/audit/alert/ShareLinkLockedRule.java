package org.wardline.storage.audit.alert;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.wardline.storage.audit.AuditEntry;

import java.util.List;
import java.util.UUID;

/**
 * A share link locked after too many wrong codes ({@code sharelink.locked}): someone may be guessing a patient's
 * code. The alert names the link and, as the user concerned, its owner (the sender), who can lift the lock once
 * the patient confirms it was them.
 */
public final class ShareLinkLockedRule implements AlertRule {
    public static final String CODE = "share_link_locked";
    static final String ACTION = "sharelink.locked";

    @Override
    public String code() {
        return CODE;
    }

    @Override
    public List<Alert> evaluate(AuditEntry entry) {
        if (!ACTION.equals(entry.action())) {
            return List.of();
        }
        return List.of(new Alert(CODE, AlertSeverity.WARNING, entry.occurredAt(), entry.seq(), owner(entry),
                entry.sourceIp(), 1, "share link locked after repeated wrong codes", entry.objectType(), entry.objectId()));
    }

    private static UUID owner(AuditEntry entry) {
        try {
            String owner = entry.details() == null ? null : new JsonObject(entry.details()).getString("owner");
            return owner == null ? null : UUID.fromString(owner);
        } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
            return null;
        }
    }
}
