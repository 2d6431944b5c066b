package org.wardline.clients.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What a legal hold asks of this device's user: the conversations to which the records-custodian device must be
 * added as a visible MLS member (holds placed with a custodian requirement on the user, their team or the
 * conversation). A client shows this to the user and, once a custodian device exists, adds it with an ordinary
 * commit; the server only records and reports the requirement.
 */
public final class LegalHolds {
    private LegalHolds() {
    }

    /** One conversation that must carry the records-custodian device. */
    public record CustodianRequirement(long conversationId, byte[] groupId, String holdId, String matter) {
    }

    public static List<CustodianRequirement> custodianRequirements(DeviceIdentity device) {
        JsonNode answer = Https.getJson(device.httpClient(), device.deviceUrl().resolve("/v1/legal-holds/custodian-requirements"));
        List<CustodianRequirement> out = new ArrayList<>();
        for (JsonNode c : answer.path("conversations")) {
            out.add(new CustodianRequirement(c.path("conversationId").asLong(), Base64.getDecoder().decode(c.path("groupId").asText()),
                    c.path("holdId").asText(), c.path("matter").asText()));
        }
        return out;
    }
}
