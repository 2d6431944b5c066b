package org.wardline.server.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;
import org.wardline.storage.audit.AuditSigner;
import org.wardline.storage.audit.AuditVerifier;
import org.wardline.storage.audit.VerificationReport;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Role and team changes are audited with what they were before and after, for one role and for several; separation
 * of duties holds: nobody grants themselves a role, a privileged role needs an elevation a second administrator
 * approved, and nobody signs off an access review that lists a change to their own access.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessChangeAuditTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static WardlineApi api;
    private static WardlineApi.Account root;
    private static WardlineApi.Account second;
    private static WardlineApi.Account nurse;

    @BeforeAll
    static void accounts() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        root = api.bootstrapAdmin("sod.root");
        second = api.createAndSignIn(root, "sod.second", new JsonArray().add("admin"), LocalDate.now().plusYears(1).toString());
        nurse = api.createAndSignIn(root, "sod.nurse", new JsonArray().add("nurse"), LocalDate.now().plusYears(1).toString());
    }

    @Test
    @Order(1)
    void grantingOneOrdinaryRoleIsAuditedWithTheRolesBeforeAndAfter() throws Exception {
        WardlineApi.Reply r = setRoles(root, nurse, "nurse", "care_coordinator");
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
        JsonObject details = lastRoleChange(nurse, "success");
        assertThat(details.getJsonArray("before").getList()).containsExactly("nurse");
        assertThat(details.getJsonArray("after").getList()).containsExactly("care_coordinator", "nurse");
        assertThat(details.getJsonArray("added").getList()).containsExactly("care_coordinator");
        assertThat(details.getJsonArray("removed").getList()).isEmpty();
    }

    @Test
    @Order(2)
    void aPrivilegedRoleWithoutASecondAdministratorsApprovalIsRefusedAndTheRefusalAudited() throws Exception {
        WardlineApi.Reply r = setRoles(root, nurse, "admin", "security_officer");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.error()).isEqualTo("role.approval_required");
        assertThat(roles(nurse)).containsExactlyInAnyOrder("care_coordinator", "nurse");
        JsonObject asked = lastRoleChange(nurse, "denied");
        assertThat(asked.getJsonArray("after").getList()).containsExactly("admin", "security_officer");
    }

    @Test
    @Order(3)
    void twoPrivilegedRolesAtOnceAreAuditedWithWhoGainedWhichRole() throws Exception {
        for (String role : List.of("admin", "security_officer")) {
            WardlineApi.Reply asked = api.post("/v1/elevations", nurse.accessToken, new JsonObject().put("role", role)
                    .put("minutes", 60).put("reason", "covering the night shift"));
            assertThat(asked.status()).as(String.valueOf(asked.json())).isEqualTo(200);
            WardlineApi.Reply approved = api.post("/v1/elevations/" + asked.json().getString("id") + "/approve",
                    second.accessToken, null);
            assertThat(approved.status()).as(String.valueOf(approved.json())).isEqualTo(200);
        }
        WardlineApi.Reply r = setRoles(root, nurse, "admin", "security_officer");
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);

        JsonObject details = lastRoleChange(nurse, "success");
        assertThat(details.getJsonArray("before").getList()).containsExactly("care_coordinator", "nurse");
        assertThat(details.getJsonArray("after").getList()).containsExactly("admin", "security_officer");
        assertThat(details.getJsonArray("added").getList()).containsExactly("admin", "security_officer");
        assertThat(details.getJsonArray("removed").getList()).containsExactly("care_coordinator", "nurse");
        Row entry = rows("SELECT actor_user_id::text AS actor FROM audit_entries WHERE action = 'account.roles_changed' "
                + "AND object_id = '" + nurse.id + "' AND outcome = 'success' ORDER BY seq DESC LIMIT 1").get(0);
        assertThat(entry.getString("actor")).isEqualTo(root.id.toString());
    }

    @Test
    @Order(4)
    void nobodyGrantsARoleToThemselves() throws Exception {
        WardlineApi.Reply r = setRoles(second, second, "admin", "security_officer");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.error()).isEqualTo("role.self_grant");
        assertThat(roles(second)).containsExactly("admin");
    }

    @Test
    @Order(5)
    void aTeamChangeNamesTheMemberAndTheMembershipBeforeAndAfter() throws Exception {
        WardlineApi.Reply team = api.post("/v1/admin/teams", root.accessToken, new JsonObject().put("name", "Ward 9"));
        assertThat(team.status()).as(String.valueOf(team.json())).isEqualTo(200);
        String teamId = team.json().getString("id");
        WardlineApi.Reply added = api.call("PUT", "/v1/admin/teams/" + teamId + "/members/" + nurse.id, root.accessToken, null);
        assertThat(added.status()).as(String.valueOf(added.json())).isEqualTo(200);
        JsonObject details = new JsonObject(rows("SELECT details FROM audit_entries WHERE action = 'account.team_changed' "
                + "AND object_id = '" + teamId + "' ORDER BY seq DESC LIMIT 1").get(0).getString("details"));
        assertThat(details.getString("change")).isEqualTo("member_added");
        assertThat(details.getString("member")).isEqualTo(nurse.id.toString());
        assertThat(details.getBoolean("memberBefore")).isFalse();
        assertThat(details.getBoolean("memberAfter")).isTrue();
    }

    @Test
    @Order(6)
    void anAccessReviewIsNotSignedOffBySomeoneItListsAsChanged() throws Exception {
        DeviceClient changed = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), nurse.id))
                .signIn(nurse);
        DeviceClient.Reply review = changed.post("/v1/admin/reports/access-review", null);
        assertThat(review.status()).as(review.body()).isEqualTo(200);
        String reviewId = review.json().getString("reviewId");

        DeviceClient.Reply refused = changed.post("/v1/admin/reports/access-review/" + reviewId + "/sign-off",
                new JsonObject().put("decision", "approved"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().getString("error")).isEqualTo("accessreview.signer_listed");

        DeviceClient unchanged = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), root.id))
                .signIn(root);
        DeviceClient.Reply signed = unchanged.post("/v1/admin/reports/access-review/" + reviewId + "/sign-off",
                new JsonObject().put("decision", "approved"));
        assertThat(signed.status()).as(signed.body()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void aNewAccountWithAPrivilegedRoleNeedsTheSameSecondApprovalAsAGrant() throws Exception {
        api.stepUp(root);
        WardlineApi.Reply refused = api.post("/v1/admin/users", root.accessToken, new JsonObject().put("username", "sod.officer")
                .put("password", WardlineApi.PASSWORD).put("roles", new JsonArray().add("nurse").add("security_officer")));
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(403);
        assertThat(refused.error()).isEqualTo("role.approval_required");
        assertThat(rows("SELECT 1 FROM users WHERE username = 'sod.officer'")).as("no account is created").isEmpty();
        List<Row> denied = rows("SELECT details FROM audit_entries WHERE action = 'admin.user.created' AND outcome = 'denied' "
                + "AND actor_user_id = '" + root.id + "' ORDER BY seq DESC LIMIT 1");
        assertThat(denied).hasSize(1);
        assertThat(new JsonObject(denied.get(0).getString("details")).getJsonArray("roles").getList())
                .containsExactly("nurse", "security_officer");

        WardlineApi.Account officer = api.createPrivileged(root, second, "sod.officer", "security_officer",
                LocalDate.now().plusYears(1).toString());
        assertThat(roles(officer)).containsExactly("security_officer");
    }

    @Test
    @Order(8)
    void theTrailStaysIntact() throws Exception {
        var settings = WARDLINE.server().database().settings();
        org.postgresql.ds.PGSimpleDataSource jdbc = new org.postgresql.ds.PGSimpleDataSource();
        jdbc.setURL(settings.jdbcUrl());
        jdbc.setUser(settings.user());
        jdbc.setPassword(settings.password().reveal());
        VerificationReport report = AuditVerifier.verify(jdbc, AuditSigner.readPublicKey(
                WARDLINE.server().config().pki().directory().resolve(org.wardline.server.audit.AuditKeys.CERTIFICATE)));
        assertThat(report.valid()).as(report.summary()).isTrue();
    }

    private static WardlineApi.Reply setRoles(WardlineApi.Account by, WardlineApi.Account user, String... roles) throws Exception {
        return api.call("PUT", "/v1/admin/users/" + user.id + "/roles", by.accessToken,
                new JsonObject().put("roles", new JsonArray(List.of((Object[]) roles))));
    }

    private static List<String> roles(WardlineApi.Account user) throws Exception {
        List<String> out = new ArrayList<>();
        rows("SELECT role FROM user_roles WHERE user_id = '" + user.id + "' ORDER BY role").forEach(r -> out.add(r.getString(0)));
        return out;
    }

    /** The details of the newest role-change entry about {@code user} with this outcome (entries follow responses). */
    private static JsonObject lastRoleChange(WardlineApi.Account user, String outcome) throws Exception {
        String sql = "SELECT details FROM audit_entries WHERE action = 'account.roles_changed' AND object_id = '" + user.id
                + "' AND outcome = '" + outcome + "' ORDER BY seq DESC LIMIT 1";
        List<Row> found = rows(sql);
        for (int i = 0; i < 50 && found.isEmpty(); i++) {
            Thread.sleep(100);
            found = rows(sql);
        }
        assertThat(found).as("a %s role-change entry", outcome).hasSize(1);
        return new JsonObject(found.get(0).getString("details"));
    }

    private static List<Row> rows(String sql) throws Exception {
        List<Row> out = new ArrayList<>();
        WARDLINE.server().database().pool().query(sql).execute().toCompletionStage().toCompletableFuture().get()
                .forEach(out::add);
        return out;
    }
}
