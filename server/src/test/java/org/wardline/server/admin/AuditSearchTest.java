package org.wardline.server.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/admin/audit/entries} (the console's audit search) on the public listener: filters by actor, entry
 * and time; bad input refused before any query and the refusal audited; the search itself recorded with which filters
 * it used and never their values; a role without {@code AUDIT_READ} refused. {@code POST .../by-contact} finds the
 * entries of the links sent to one patient contact, by its keyed hash, without the contact reaching the trail.
 */
class AuditSearchTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static final String PATIENT = "Pat.Search.Sixteen@example.org";
    private static WardlineApi api;
    private static WardlineApi.Account admin;
    private static WardlineApi.Account officer;
    private static WardlineApi.Account nurse;

    @BeforeAll
    static void setUp() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin.search");
        officer = api.createAndSignIn(admin, "so.search", new JsonArray().add("security_officer"), "2099-01-01");
        nurse = api.createAndSignIn(admin, "nurse.search", new JsonArray().add("nurse"), "2099-01-01");
    }

    @Test
    void findsAUsersEntriesNewestFirstAndOneEntryByNumber() throws Exception {
        api.post("/v1/auth/login", null, new JsonObject().put("username", nurse.username).put("password", "wrong password here"));
        WardlineApi.Reply mine = api.get("/v1/admin/audit/entries?actor=" + nurse.id, officer.accessToken);
        assertThat(mine.status()).as(String.valueOf(mine.json())).isEqualTo(200);
        List<JsonObject> entries = entries(mine);
        assertThat(entries).isNotEmpty().allSatisfy(e -> assertThat(e.getString("actorUserId")).isEqualTo(nurse.id.toString()));
        assertThat(entries).extracting(e -> e.getString("action")).contains("auth.mfa.enrolled");
        List<Long> seqs = entries.stream().map(e -> e.getLong("seq")).toList();
        assertThat(seqs).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        long one = seqs.get(seqs.size() - 1);
        List<JsonObject> exact = entries(api.get("/v1/admin/audit/entries?seq=" + one, officer.accessToken));
        assertThat(exact).hasSize(1);
        assertThat(exact.get(0).getLong("seq")).isEqualTo(one);
        assertThat(exact.get(0).getString("entryHash")).hasSize(64);

        WardlineApi.Reply limited = api.get("/v1/admin/audit/entries?limit=1", officer.accessToken);
        assertThat(entries(limited)).hasSize(1);
        assertThat(limited.json().getBoolean("more")).isTrue();

        List<JsonObject> future = entries(api.get("/v1/admin/audit/entries?from=2099-01-01", officer.accessToken));
        assertThat(future).isEmpty();

        long searched = count("SELECT count(*) FROM audit_entries WHERE action = 'audit.searched' AND actor_user_id = $1"
                + " AND details LIKE '%\"filters\":\"actor\"%' AND details NOT LIKE $2", officer.id, "%" + nurse.id + "%");
        assertThat(searched).as("the search is recorded with its filter's name, not its value").isEqualTo(1);
    }

    @Test
    void badInputIsRefusedBeforeAnyQueryAndTheRefusalIsAudited() throws Exception {
        for (String query : List.of("actor=not-a-uuid", "from=2026-12-07&to=2026-12-06", "limit=999", "limit=0", "seq=-3",
                "objectId=two%20words", "from=yesterday")) {
            WardlineApi.Reply r = api.get("/v1/admin/audit/entries?" + query, officer.accessToken);
            assertThat(r.status()).as(query).isEqualTo(400);
            assertThat(r.error()).as(query).isEqualTo("request.invalid");
        }
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'admin.request.refused' AND actor_user_id = $1"
                + " AND details LIKE '%audit_search%'", officer.id)).isEqualTo(7);
    }

    @Test
    void findsTheEntriesOfTheLinksSentToAPatientsContactWithoutRecordingIt() throws Exception {
        WardlineApi.Account sender = api.createAndSignIn(admin, "dr.search", new JsonArray().add("clinician"), "2099-01-01");
        DeviceClient device = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), sender.id)).signIn(sender);
        String file = device.upload("results letter");
        String toPatient = device.share(file, PATIENT)[0];
        String toSomeoneElse = device.share(file, "someone.else.sixteen@example.org")[0];

        // As typed at a desk: other case, surrounding spaces. The address is compared as its keyed hash only.
        WardlineApi.Reply found = api.post("/v1/admin/audit/entries/by-contact", officer.accessToken,
                new JsonObject().put("contact", "  " + PATIENT.toUpperCase() + " "));
        List<JsonObject> entries = entries(found);
        assertThat(entries).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getString("objectType")).isEqualTo("sharelink");
            assertThat(e.getString("objectId")).isEqualTo(toPatient);
        });
        assertThat(entries).extracting(e -> e.getString("action")).contains("sharelink.created");
        assertThat(entries).extracting(e -> e.getString("objectId")).doesNotContain(toSomeoneElse);
        assertThat(entries(api.post("/v1/admin/audit/entries/by-contact", officer.accessToken,
                new JsonObject().put("contact", PATIENT).put("from", "2099-01-01")))).as("the time range applies too").isEmpty();
        assertThat(entries(api.post("/v1/admin/audit/entries/by-contact", officer.accessToken,
                new JsonObject().put("contact", "nobody.sixteen@example.org")))).isEmpty();

        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'audit.searched' AND actor_user_id = $1"
                + " AND details LIKE '%\"filters\":\"contact%'", officer.id)).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE lower(details) LIKE '%sixteen%'"))
                .as("no contact in the trail").isZero();

        for (JsonObject bad : List.of(new JsonObject(), new JsonObject().put("contact", " "), new JsonObject().put("contact", 42),
                new JsonObject().put("contact", PATIENT).put("from", "yesterday"))) {
            WardlineApi.Reply r = api.post("/v1/admin/audit/entries/by-contact", officer.accessToken, bad);
            assertThat(r.status()).as(bad.encode()).isEqualTo(400);
        }
        WardlineApi.Reply nurseTries = api.post("/v1/admin/audit/entries/by-contact", nurse.accessToken, new JsonObject().put("contact", PATIENT));
        assertThat(nurseTries.status()).isEqualTo(403);
    }

    @Test
    void aNurseCannotReadTheTrail() throws Exception {
        WardlineApi.Reply r = api.get("/v1/admin/audit/entries?actor=" + nurse.id, nurse.accessToken);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.error()).isEqualTo("auth.forbidden");
    }

    private static List<JsonObject> entries(WardlineApi.Reply r) {
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
        return r.json().getJsonArray("entries").stream().map(JsonObject.class::cast).toList();
    }

    private static long count(String sql, Object... args) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.wrap(args))
                .toCompletionStage().toCompletableFuture().get().iterator().next().getLong(0);
    }
}
