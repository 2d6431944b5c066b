package org.wardline.clients.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.KeyPair;
import java.time.Duration;

/**
 * Renews a device certificate before it expires, over mutual TLS with the current one, for a <em>new</em>
 * key pair generated here. The server lets the old certificate work for a short grace period, so save the
 * returned identity promptly and reconnect with it.
 *
 * <pre>{@code
 * if (id.expiresWithin(Renewal.RECOMMENDED_MARGIN)) {
 *     id = Renewal.renew(id);
 *     id.save(file, passphrase);
 * }
 * }</pre>
 */
public final class Renewal {
    /** Renew when this little validity is left (a third of the default 30 days). */
    public static final Duration RECOMMENDED_MARGIN = Duration.ofDays(10);
    static final String PATH = "/v1/devices/renew";

    private Renewal() {
    }

    /**
     * Renews {@code current}'s certificate with a new key pair.
     *
     * @throws WardlineClientException with the server's code ({@code device.not_active} …) when refused
     */
    public static DeviceIdentity renew(DeviceIdentity current) {
        KeyPair keys = DeviceKeys.generate();
        ObjectNode body = Https.JSON.createObjectNode().put("csr", DeviceKeys.certificateRequest(keys));
        JsonNode issued = current.postToDevice(PATH, body);
        DeviceIdentity next = DeviceIdentity.fromIssued(issued, keys, current.caCertificate(), current.publicUrl());
        if (!next.deviceId().equals(current.deviceId())) {
            throw new WardlineClientException("client.protocol", "the renewed certificate names another device", null);
        }
        // The session is bound to the device, not to one certificate: it carries over.
        current.session().ifPresent(next::attach);
        return next;
    }
}
