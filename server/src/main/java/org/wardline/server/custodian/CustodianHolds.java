package org.wardline.server.custodian;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.server.delivery.LegalHoldNotices;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.retention.LegalHold;

import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * What the admin and device APIs do about the records custodian of legal holds (ADR 0010): which custodian a new
 * hold names, telling the covered conversations' members when a custodian-required hold is placed or released, and
 * answering a device what to add or remove and which devices are custodians.
 */
public final class CustodianHolds {
    private static final Logger LOG = LoggerFactory.getLogger(CustodianHolds.class);
    /** How clients label a custodian member. */
    public static final String LABEL = "legal hold (records custodian)";

    private final RecordsCustodians custodians;
    private final LegalHoldNotices notices;

    public CustodianHolds(RecordsCustodians custodians, LegalHoldNotices notices) {
        this.custodians = custodians;
        this.notices = notices;
    }

    /**
     * The custodian a hold names: for a custodian-required hold {@code named} or the organisation's designated
     * custodian ({@link RecordsCustodians#resolve}); none otherwise, and naming one without requiring it is refused.
     */
    public Future<UUID> custodianFor(boolean required, Optional<UUID> named) {
        if (!required) {
            return named.isPresent() ? Future.failedFuture(new WardlineHttpException(ErrorCode.BAD_REQUEST))
                    : Future.succeededFuture(null);
        }
        return custodians.resolve(named);
    }

    /**
     * Tells the covered conversations' members that a custodian-required hold was placed or released. A failure is
     * logged, not returned: the hold stands, and members also check on every connect.
     */
    public Future<Integer> changed(LegalHold hold, DeviceUri by) {
        if (!hold.custodianRequired() || hold.custodian().isEmpty()) {
            return Future.succeededFuture(0);
        }
        return notices.notify(hold.id(), by).recover(e -> {
            LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName()).addKeyValue("hold", hold.id())
                    .log("legal hold notices not sent; members pick the change up when they connect");
            return Future.succeededFuture(0);
        });
    }

    /** {@code GET /v1/legal-holds/custodian-requirements} for {@code user}'s device. */
    public Future<JsonObject> requirements(UUID user) {
        return custodians.requirements(user).map(r -> {
            JsonArray add = new JsonArray();
            r.add().forEach(c -> add.add(new JsonObject().put("conversationId", c.conversationId())
                    .put("groupId", Base64.getEncoder().encodeToString(c.groupId()))
                    .put("holdId", c.holdId().toString()).put("matter", c.matter())
                    .put("member", "records-custodian")
                    .put("addDevices", new JsonArray(c.addDevices().stream().map(DeviceUri::toString).toList()))));
            JsonArray remove = new JsonArray();
            r.remove().forEach(c -> remove.add(new JsonObject().put("conversationId", c.conversationId())
                    .put("groupId", Base64.getEncoder().encodeToString(c.groupId()))
                    .put("removeDevices", new JsonArray(c.removeDevices().stream().map(DeviceUri::toString).toList()))));
            return new JsonObject().put("custodianRequired", !r.add().isEmpty()).put("conversations", add)
                    .put("released", remove);
        });
    }

    /** {@code GET /v1/legal-holds/custodians}: every records-custodian device, so clients can label those members. */
    public Future<JsonObject> custodianDevices() {
        return custodians.devices().map(list -> new JsonObject().put("label", LABEL)
                .put("devices", new JsonArray(list.stream().map(DeviceUri::toString).toList())));
    }
}
