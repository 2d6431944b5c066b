package org.wardline.server.testing;

import io.vertx.core.json.JsonObject;
import org.wardline.clients.sdk.CaPin;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.Enrollment;
import org.wardline.protocol.Secret;
import org.wardline.server.WardlineServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

/** Enrolls devices the way a real one enrolls: a code from the operator, a CSR from the SDK. */
public final class EnrolledDevices {
    private EnrolledDevices() {
    }

    public static DeviceIdentity enroll(WardlineServer server, UUID user) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.opsPort() + "/admin/enrollment-codes"))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("userId", user.toString()).encode()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new AssertionError("issuing an enrollment code failed: " + r.statusCode() + " " + r.body());
        }
        String code = new JsonObject(r.body()).getString("code");
        return Enrollment.enroll(URI.create("https://127.0.0.1:" + server.publicPort()),
                CaPin.fingerprint(server.certificateAuthority().rootFingerprint()), Secret.of(code), "test device", "linux");
    }

    /** A new user's freshly enrolled device. */
    public static DeviceIdentity enroll(WardlineServer server) throws Exception {
        return enroll(server, UUID.randomUUID());
    }
}
