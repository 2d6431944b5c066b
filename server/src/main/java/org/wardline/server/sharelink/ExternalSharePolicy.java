package org.wardline.server.sharelink;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.wardline.dlp.inspect.DlpInspector;
import org.wardline.dlp.inspect.Inspection;
import org.wardline.dlp.policy.Decision;
import org.wardline.dlp.policy.Destination;
import org.wardline.dlp.policy.DlpPolicy;
import org.wardline.dlp.policy.Verdict;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.upload.VerdictJson;
import org.wardline.storage.object.ObjectLifecycle;
import org.wardline.storage.object.StoredObject;

import java.io.InputStream;
import java.util.Optional;

/**
 * The DLP decision for sending a file outside Wardline ({@link Destination#EXTERNAL_SHARE_LINK}): the committed
 * file is inspected again (on a worker) and the rule pack decides. Allow and tag pass; a justification-required
 * decision passes only with one; quarantine and block refuse the link. Fails closed without an inspector.
 */
final class ExternalSharePolicy {
    private final Vertx vertx;
    private final Optional<DlpInspector> inspector;
    private final DlpPolicy policy;
    private final ObjectLifecycle lifecycle;

    ExternalSharePolicy(Vertx vertx, Optional<DlpInspector> inspector, DlpPolicy policy, ObjectLifecycle lifecycle) {
        this.vertx = vertx;
        this.inspector = inspector;
        this.policy = policy;
        this.lifecycle = lifecycle;
    }

    /** @return the decision, when it lets the link be created; otherwise a failed future with the refusal */
    Future<Decision> check(StoredObject file, boolean justified) {
        if (inspector.isEmpty()) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.SCANNER_UNAVAILABLE));
        }
        return vertx.executeBlocking(() -> {
            Inspection inspection;
            try (InputStream in = lifecycle.open(file.id())) {
                inspection = inspector.get().inspect(in, file.contentType());
            }
            Verdict verdict = policy.decide(Destination.EXTERNAL_SHARE_LINK, inspection.extraction(),
                    inspection.findings(), Optional.empty());
            return verdict;
        }, false).compose(verdict -> switch (verdict.decision()) {
            case ALLOW, TAG -> Future.succeededFuture(verdict.decision());
            case REQUIRE_JUSTIFICATION -> justified ? Future.succeededFuture(verdict.decision())
                    : Future.failedFuture(refusal(ErrorCode.LINK_JUSTIFICATION_REQUIRED, verdict));
            case QUARANTINE, BLOCK -> Future.failedFuture(refusal(ErrorCode.LINK_FILE_NOT_SHAREABLE, verdict));
        });
    }

    /** The refusal says what was found, as an upload's does: categories and counts ("1 name, 2 dates"). */
    private static WardlineHttpException refusal(ErrorCode code, Verdict verdict) {
        return new WardlineHttpException(code, new JsonObject().put("verdict", VerdictJson.of(verdict)));
    }
}
