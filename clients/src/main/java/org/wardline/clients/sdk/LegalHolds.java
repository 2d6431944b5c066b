package org.wardline.clients.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;

/**
 * What legal holds ask of this device's user (ADR 0010): the conversations to which the records custodian's devices
 * must be added as visible MLS members (holds placed with a custodian requirement on a member, their team or the
 * conversation), the conversations from which they must be removed because the hold was released, and which
 * devices are records-custodian devices, so a client can label them. The messaging SDK acts on these by itself
 * ({@code org.wardline.clients.messaging.LegalHoldMembership}); both calls need only the device certificate.
 */
public final class LegalHolds {
    private LegalHolds() {
    }

    /**
     * One conversation that must carry the records-custodian devices; {@code addDevices} lists those still missing.
     * {@code matter} is given only to the user the hold is on, null for the other members.
     */
    public record CustodianRequirement(long conversationId, byte[] groupId, String holdId, String matter,
                                       List<String> addDevices) {
    }

    /** One conversation whose hold was released: these custodian devices should be removed. */
    public record Release(long conversationId, byte[] groupId, List<String> removeDevices) {
    }

    public record Requirements(List<CustodianRequirement> add, List<Release> released) {
    }

    /** The records-custodian devices (device URIs) and the label to show for them. */
    public record Custodians(String label, List<String> devices) {
    }

    public static List<CustodianRequirement> custodianRequirements(DeviceIdentity device) {
        return requirements(device.httpClient(), device.deviceUrl()).add();
    }

    /** The two calls over one HTTP client, for a device whose mutual-TLS context is {@code sslContext}. */
    public static Api api(SSLContext sslContext, URI deviceUrl) {
        return new Api(Https.client(sslContext), () -> deviceUrl);
    }

    /** As {@link #api(SSLContext, URI)}, to whichever device listener {@code deviceUrl} names at each call (fail-over). */
    public static Api api(SSLContext sslContext, java.util.function.Supplier<URI> deviceUrl) {
        return new Api(Https.client(sslContext), deviceUrl);
    }

    public static final class Api {
        private final HttpClient client;
        private final java.util.function.Supplier<URI> deviceUrl;

        private Api(HttpClient client, java.util.function.Supplier<URI> deviceUrl) {
            this.client = client;
            this.deviceUrl = deviceUrl;
        }

        /** What the holds ask of this device's user. */
        public Requirements requirements() {
            return LegalHolds.requirements(client, deviceUrl.get());
        }

        /** Every records-custodian device, as the server designates them. */
        public Custodians custodians() {
            JsonNode answer = Https.getJson(client, deviceUrl.get().resolve("/v1/legal-holds/custodians"));
            return new Custodians(answer.path("label").asText(), texts(answer.path("devices")));
        }
    }

    private static Requirements requirements(HttpClient client, URI deviceUrl) {
        JsonNode answer = Https.getJson(client, deviceUrl.resolve("/v1/legal-holds/custodian-requirements"));
        List<CustodianRequirement> add = new ArrayList<>();
        for (JsonNode c : answer.path("conversations")) {
            add.add(new CustodianRequirement(c.path("conversationId").asLong(), Base64.getDecoder().decode(c.path("groupId").asText()),
                    c.path("holdId").asText(), c.hasNonNull("matter") ? c.get("matter").asText() : null, texts(c.path("addDevices"))));
        }
        List<Release> released = new ArrayList<>();
        for (JsonNode c : answer.path("released")) {
            released.add(new Release(c.path("conversationId").asLong(), Base64.getDecoder().decode(c.path("groupId").asText()),
                    texts(c.path("removeDevices"))));
        }
        return new Requirements(add, released);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }
}
