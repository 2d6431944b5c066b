package org.wardline.server.incident;

import io.vertx.core.json.JsonObject;
import org.wardline.server.account.User;
import org.wardline.server.sharelink.ShareLinks;

import java.util.Optional;

/**
 * What a scenario's set-up made, before the timed response: the drill account, the containment the response takes,
 * what the report says was staged (IDs only), and the misdirected link itself (its URL carries the secret: never
 * reported, logged or audited).
 */
record DrillStage(User account, Containment.Request containment, JsonObject staged, Optional<ShareLinks.Created> link) {
}
