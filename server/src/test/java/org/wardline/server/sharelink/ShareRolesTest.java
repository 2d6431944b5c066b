package org.wardline.server.sharelink;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wardline.server.account.Role;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.RolePermissions;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may send a patient a document (issue 16): a nurse and a physician (clinician) share files they uploaded
 * themselves, through the external-share policy; a billing clerk cannot; nobody shares a colleague's file.
 */
class ShareRolesTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static SignedInDevice device(Role role) throws Exception {
        return EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(role), LocalDate.now().plusYears(1));
    }

    @ParameterizedTest(name = "{0} shares their own lab report: {1}")
    @CsvSource({"NURSE, true", "CLINICIAN, true", "CARE_COORDINATOR, true", "BILLING, false", "ADMIN, false",
            "SECURITY_OFFICER, false", "AUDITOR, false", "RECORDS_CUSTODIAN, false"})
    void theRoleTableSaysWhoMaySendAPatientADocument(Role role, boolean mayShare) throws Exception {
        assertThat(RolePermissions.of(role).contains(Permission.SHARE_LINK_CREATE)).isEqualTo(mayShare);
        SignedInDevice d = device(role);
        ShareLinkClient client = new ShareLinkClient(WARDLINE.server(), d);
        String file;
        if (RolePermissions.of(role).contains(Permission.FILE_UPLOAD)) {
            file = client.upload("Potassium 5.9 mmol/L (high). Repeat tomorrow.".getBytes(StandardCharsets.UTF_8), "text/plain");
        } else {
            file = new ShareLinkClient(WARDLINE.server(), device(Role.NURSE))
                    .upload("Potassium 5.9 mmol/L".getBytes(StandardCharsets.UTF_8), "text/plain");
        }
        HttpResponse<String> r = client.createRaw(new JsonObject().put("fileId", file)
                .put("recipient", new JsonObject().put("email", "patient@example.org")).put("mode", "view")
                .put("maxOpens", 2).put("expiresInHours", 72));
        if (mayShare) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            assertThat(new JsonObject(r.body()).getString("url")).contains("/s/");
        } else {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(ShareLinkClient.error(r)).isEqualTo("auth.forbidden");
        }
    }

    @Test
    void aNurseSharesOnlyAFileSheUploadedHerself() throws Exception {
        String colleagues = new ShareLinkClient(WARDLINE.server(), device(Role.CLINICIAN))
                .upload("Discharge letter".getBytes(StandardCharsets.UTF_8), "text/plain");
        ShareLinkClient nurse = new ShareLinkClient(WARDLINE.server(), device(Role.NURSE));
        HttpResponse<String> r = nurse.createRaw(new JsonObject().put("fileId", colleagues)
                .put("recipient", new JsonObject().put("email", "patient@example.org")).put("mode", "view")
                .put("maxOpens", 1).put("expiresInHours", 24));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(ShareLinkClient.error(r)).isEqualTo("resource.not_found");
    }
}
