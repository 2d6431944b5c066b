package org.wardline.clients.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.wardline.protocol.Secret;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;

/**
 * Enrolls this device with a one-time code: generates the key pair here, sends only a certificate request,
 * and returns the identity to {@link DeviceIdentity#save save}.
 *
 * <pre>{@code
 * DeviceIdentity id = Enrollment.enroll(URI.create("https://wardline.example.org"),
 *         CaPin.fingerprint("3F:A2:…"), Secret.of(code), "ward-3 tablet", "android");
 * }</pre>
 */
public final class Enrollment {
    static final String PATH = "/v1/devices/enroll";

    private Enrollment() {
    }

    /**
     * Enrolls the device.
     *
     * @param publicUrl the server's public address
     * @param pin       Wardline's root CA, by fingerprint or certificate; the only CA trusted from here on
     * @param code      the one-time enrollment code an administrator (or sign-in) gave the user
     * @param name      a name the user recognises (shown in device lists)
     * @param platform  the platform ({@code linux}, {@code android} …)
     * @throws WardlineClientException with the server's code ({@code enrollment.code_expired} …) when refused
     */
    public static DeviceIdentity enroll(URI publicUrl, CaPin pin, Secret<String> code, String name, String platform) {
        X509Certificate root = pin.resolve(publicUrl);
        KeyPair keys = DeviceKeys.generate();
        ObjectNode body = Https.JSON.createObjectNode()
                .put("code", code.reveal())
                .put("csr", DeviceKeys.certificateRequest(keys))
                .put("name", name)
                .put("platform", platform);
        JsonNode issued = Https.postJson(Https.client(trustingOnly(root)), publicUrl.resolve(PATH), body);
        return DeviceIdentity.fromIssued(issued, keys, root, publicUrl);
    }

    static SSLContext trustingOnly(X509Certificate root) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, CaPin.trusting(root), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
