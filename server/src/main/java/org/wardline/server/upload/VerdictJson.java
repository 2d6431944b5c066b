package org.wardline.server.upload;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.wardline.dlp.policy.FindingsPhrase;
import org.wardline.dlp.policy.Verdict;

/**
 * A DLP verdict as the API answers it: the decision, each rule's code and count, and "found" ("2 names,
 * 1 date"). Categories and counts only, never the matched text.
 */
public final class VerdictJson {

    private VerdictJson() {}

    public static JsonObject of(Verdict verdict) {
        JsonArray reasons = new JsonArray();
        verdict.reasons().forEach(r -> reasons.add(new JsonObject().put("code", r.code()).put("count", r.count())
                .put("decision", r.decision().name())));
        JsonObject json = new JsonObject().put("decision", verdict.decision().name()).put("reasons", reasons);
        FindingsPhrase.of(verdict).ifPresent(found -> json.put("found", found));
        return json;
    }
}
