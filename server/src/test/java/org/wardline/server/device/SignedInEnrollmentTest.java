package org.wardline.server.device;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.clients.sdk.CaPin;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.Enrollment;
import org.wardline.protocol.Secret;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.WardlineServerExtension;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** A signed-in user (password and second factor) gets an enrollment code for a device of their own. */
class SignedInEnrollmentTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @Test
    void aSignedInUserEnrollsTheirOwnDeviceAndNobodyElseCanAskForThem() throws Exception {
        WardlineApi api = new WardlineApi(WARDLINE.server());
        WardlineApi.Account admin = api.bootstrapAdmin("admin");
        WardlineApi.Account nurse = api.createAndSignIn(admin, "nurse.enrolls", new JsonArray().add("nurse"), "2099-01-01");

        assertThat(api.post(DeviceRoutes.OWN_CODES, null, null).status()).isEqualTo(401);

        WardlineApi.Reply issued = api.post(DeviceRoutes.OWN_CODES, nurse.accessToken, null);
        assertThat(issued.status()).as(String.valueOf(issued.json())).isEqualTo(201);
        assertThat(issued.json().getString("userId")).isEqualTo(nurse.id.toString());

        DeviceIdentity device = Enrollment.enroll(URI.create("https://127.0.0.1:" + WARDLINE.server().publicPort()),
                CaPin.fingerprint(WARDLINE.server().certificateAuthority().rootFingerprint()),
                Secret.of(issued.json().getString("code")), "ward tablet", "linux");
        assertThat(device.userId()).isEqualTo(nurse.id);
        assertThat(device.whoAmI().get("userId").asText()).isEqualTo(nurse.id.toString());
    }
}
