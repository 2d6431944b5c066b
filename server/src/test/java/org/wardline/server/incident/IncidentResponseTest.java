package org.wardline.server.incident;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.account.Role;
import org.wardline.server.rbac.Endpoint;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.RolePermissions;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20, parts 1 and 2 on a real server: a security officer opens incidents by hand and from an alert, moves them
 * through their statuses, gives them to another officer and contains from them (suspend an account, revoke a device,
 * links, a legal hold), every step on the timeline and in the audit trail; bad input is refused with its code and
 * leaves nothing behind; no other role can do any of it.
 */
class IncidentResponseTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();
    static OfficerClient officer;
    static SignedInDevice officerDevice;
    static final Map<Role, OfficerClient> OTHERS = new EnumMap<>(Role.class);

    @BeforeAll
    static void officerAndOneDevicePerRole() throws Exception {
        officerDevice = EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(Role.SECURITY_OFFICER),
                LocalDate.now().plusYears(1));
        officer = new OfficerClient(WARDLINE.server(), officerDevice);
        for (Role r : Role.values()) {
            if (r != Role.SECURITY_OFFICER) {
                OTHERS.put(r, new OfficerClient(WARDLINE.server(), EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(),
                        Set.of(r), LocalDate.now().plusYears(1))));
            }
        }
    }

    @Test
    void anOfficerOpensAnIncidentByHandAndItsTimelineAndAuditRecordIt() throws Exception {
        OfficerClient.Reply opened = officer.post("/v1/admin/incidents", new JsonObject().put("category", "misdirected_share")
                .put("severity", "high"));
        assertThat(opened.status()).as(String.valueOf(opened.json())).isEqualTo(200);
        JsonObject i = opened.json();
        assertThat(i.getString("status")).isEqualTo("open");
        assertThat(i.getString("ownerId")).isEqualTo(officerDevice.userId().toString());
        assertThat(i.getString("reference")).matches("INC-\\d{8}-[0-9A-F]{6}");

        OfficerClient.Reply shown = officer.get("/v1/admin/incidents/" + i.getString("id"));
        assertThat(shown.status()).isEqualTo(200);
        JsonObject first = shown.json().getJsonArray("timeline").getJsonObject(0);
        assertThat(first.getString("action")).isEqualTo("incident.opened");
        assertThat(first.getString("actorUserId")).isEqualTo(officerDevice.userId().toString());
        assertThat(first.getString("actorDeviceId")).isEqualTo(officerDevice.deviceId().toString());
        assertThat(officer.get("/v1/admin/incidents?status=open").json().getJsonArray("incidents").stream()
                .map(o -> ((JsonObject) o).getString("id"))).contains(i.getString("id"));
        assertThat(audited("incident.opened", i.getString("id"))).isEqualTo(1);
        assertThat(audited("incident.viewed", i.getString("id"))).isEqualTo(1);
    }

    @Test
    void anAlertOpensOneIncidentOnlyWithItsCategoryAndSubjectAndIsAcknowledged() throws Exception {
        UUID user = UUID.randomUUID();
        UUID alert = alert("bulk_download", "HIGH", user);
        OfficerClient.Reply opened = officer.post("/v1/admin/incidents", new JsonObject().put("alertId", alert.toString()));
        assertThat(opened.status()).as(String.valueOf(opened.json())).isEqualTo(200);
        assertThat(opened.json().getString("category")).isEqualTo("bulk_download");
        assertThat(opened.json().getString("severity")).isEqualTo("high");
        assertThat(opened.json().getString("subjectUserId")).isEqualTo(user.toString());
        assertThat(opened.json().getString("alertId")).isEqualTo(alert.toString());
        assertThat(row("SELECT acknowledged_by FROM security_alerts WHERE id = $1", alert).getUUID(0)).isEqualTo(officerDevice.userId());

        OfficerClient.Reply again = officer.post("/v1/admin/incidents", new JsonObject().put("alertId", alert.toString()));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).isEqualTo("incident.alert_taken");
        OfficerClient.Reply unknown = officer.post("/v1/admin/incidents", new JsonObject().put("alertId", UUID.randomUUID().toString()));
        assertThat(unknown.error()).isEqualTo("incident.unknown_alert");
        assertThat(count("SELECT count(*) FROM incidents WHERE alert_id = $1", alert)).isEqualTo(1);
    }

    @Test
    void statusesMoveForwardOnlyAndAClosedIncidentTakesNothingMore() throws Exception {
        String id = openByHand();
        assertRefused(officer.post("/v1/admin/incidents/" + id + "/status", new JsonObject().put("status", "notified")),
                409, "incident.transition_refused");
        assertThat(officer.post("/v1/admin/incidents/" + id + "/status", new JsonObject().put("status", "contained")).status())
                .isEqualTo(200);
        assertRefused(officer.post("/v1/admin/incidents/" + id + "/status", new JsonObject().put("status", "assessed")),
                409, "incident.assessment_required");
        OfficerClient.Reply assessed = officer.post("/v1/admin/incidents/" + id + "/assessment", assessment("low_probability", "low", 0));
        assertThat(assessed.status()).as(String.valueOf(assessed.json())).isEqualTo(200);
        assertThat(assessed.json().getString("status")).isEqualTo("assessed");
        assertThat(assessed.json().getJsonObject("assessment").getJsonObject("notification").getBoolean("required")).isFalse();
        assertRefused(officer.post("/v1/admin/incidents/" + id + "/status", new JsonObject().put("status", "notified")),
                409, "incident.transition_refused");
        OfficerClient.Reply closed = officer.post("/v1/admin/incidents/" + id + "/status", new JsonObject().put("status", "closed"));
        assertThat(closed.status()).as(String.valueOf(closed.json())).isEqualTo(200);
        assertThat(closed.json().getString("status")).isEqualTo("closed");
        assertRefused(officer.post("/v1/admin/incidents/" + id + "/status", new JsonObject().put("status", "open")),
                409, "incident.transition_refused");
        assertRefused(officer.post("/v1/admin/incidents/" + id + "/containments", new JsonObject().put("action", "revoke_user_links")
                .put("userId", UUID.randomUUID().toString()).put("reason", "investigation")), 404, "admin.unknown_user");
        JsonObject shown = officer.get("/v1/admin/incidents/" + id).json();
        assertThat(shown.getString("closedAt")).isNotNull();
        assertThat(shown.getJsonArray("timeline").stream().map(e -> ((JsonObject) e).getString("action")).toList())
                .containsExactly("incident.opened", "incident.status.changed", "assessment.recorded", "incident.status.changed");
        assertThat(shown.getJsonArray("timeline").getJsonObject(3).getJsonObject("details").getString("to")).isEqualTo("closed");
        assertThat(audited("incident.status.changed", id)).isEqualTo(2);
        assertThat(audited("incident.assessment.recorded", id)).isEqualTo(1);
    }

    @Test
    void badInputIsRefusedWithItsCodeAndAuditedAndLeavesNothing() throws Exception {
        long before = count("SELECT count(*) FROM incidents");
        assertRefused(officer.post("/v1/admin/incidents", new JsonObject().put("category", "patient John Doe").put("severity", "high")),
                400, "incident.invalid");
        assertRefused(officer.post("/v1/admin/incidents", new JsonObject().put("category", "lost_device")), 400, "incident.invalid");
        assertRefused(officer.post("/v1/admin/incidents", new JsonObject().put("category", "lost_device").put("severity", "low")
                .put("discoveredAt", Instant.now().plusSeconds(86_400).toString())), 400, "incident.invalid");
        assertRefused(officer.post("/v1/admin/incidents", new JsonObject().put("category", "lost_device").put("severity", "low")
                .put("subjectUserId", UUID.randomUUID().toString())), 404, "admin.unknown_user");
        assertThat(count("SELECT count(*) FROM incidents")).isEqualTo(before);
        assertRefused(officer.get("/v1/admin/incidents/" + UUID.randomUUID()), 404, "incident.unknown");
        String id = openByHand();
        assertRefused(officer.post("/v1/admin/incidents/" + id + "/owner", new JsonObject()
                .put("ownerId", UUID.randomUUID().toString())), 422, "incident.owner_invalid");
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'incident.request.refused'")).isGreaterThanOrEqualTo(6);
    }

    @Test
    void anIncidentGoesToAnotherSecurityOfficerOnly() throws Exception {
        String id = openByHand();
        SignedInDevice second = EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(Role.SECURITY_OFFICER),
                LocalDate.now().plusYears(1));
        OfficerClient.Reply given = officer.post("/v1/admin/incidents/" + id + "/owner",
                new JsonObject().put("ownerId", second.userId().toString()));
        assertThat(given.status()).as(String.valueOf(given.json())).isEqualTo(200);
        assertThat(given.json().getString("ownerId")).isEqualTo(second.userId().toString());
        SignedInDevice nurse = EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(Role.NURSE), LocalDate.now().plusYears(1));
        assertRefused(officer.post("/v1/admin/incidents/" + id + "/owner", new JsonObject().put("ownerId", nurse.userId().toString())),
                422, "incident.owner_invalid");
        assertThat(audited("incident.assigned", id)).isEqualTo(1);
    }

    @Test
    void everyIncidentOperationIsTheSecurityOfficersAlone() throws Exception {
        String id = openByHand();
        List<Endpoint> endpoints = WARDLINE.server().routes().endpoints().stream()
                .filter(e -> e.path().startsWith("/v1/admin/incidents")).toList();
        assertThat(endpoints).hasSizeGreaterThanOrEqualTo(6).allSatisfy(e -> {
            assertThat(e.permission()).isEqualTo(Permission.INCIDENT_MANAGE);
            assertThat(e.stepUp()).isEqualTo(!e.method().name().equals("GET"));
        });
        for (Role r : Role.values()) {
            assertThat(RolePermissions.of(r).contains(Permission.INCIDENT_MANAGE)).as(r.wireName()).isEqualTo(r == Role.SECURITY_OFFICER);
        }
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<Role, OfficerClient> other : OTHERS.entrySet()) {
            for (Endpoint e : endpoints) {
                String path = e.path().replace(":incidentId", id);
                boolean body = !e.method().name().equals("GET");
                OfficerClient.Reply r = other.getValue().call(e.method().name(), path, body ? new JsonObject()
                        .put("category", "other").put("severity", "low").put("status", "contained") : null);
                if (r.status() != 403 || !"auth.forbidden".equals(r.error())) {
                    wrong.add(other.getKey().wireName() + " " + e.describe() + " -> " + r.status() + " " + r.error());
                }
            }
        }
        assertThat(wrong).isEmpty();
        JsonObject shown = officer.get("/v1/admin/incidents/" + id).json();
        assertThat(shown.getString("status")).as("nobody else moved it").isEqualTo("open");
        assertThat(shown.getJsonArray("timeline")).hasSize(1);
    }

    @Test
    void suspendingAnAccountFromAnIncidentEndsItsSessionsDevicesAndLinksWithinASecondAndOnlyOnce() throws Exception {
        SignedInDevice nurse = EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(Role.NURSE), LocalDate.now().plusYears(1));
        OfficerClient onNurse = new OfficerClient(WARDLINE.server(), nurse);
        String[] link = onNurse.share(onNurse.upload("follow-up in two weeks"), "patient.suspend@example.org");
        assertThat(onNurse.get("/v1/share-links").status()).isEqualTo(200);
        String id = openByHand();

        OfficerClient.Reply suspended = officer.post("/v1/admin/incidents/" + id + "/containments", new JsonObject()
                .put("action", "suspend_account").put("userId", nurse.userId().toString()).put("reason", "suspected_compromise"));
        long answeredAt = System.nanoTime();
        assertThat(suspended.status()).as(String.valueOf(suspended.json())).isEqualTo(200);
        JsonObject result = suspended.json().getJsonObject("result");
        assertThat(result.getString("status")).isEqualTo("disabled");
        assertThat(result.getInteger("devicesRevoked")).isEqualTo(1);
        assertThat(result.getInteger("shareLinksRevoked")).isEqualTo(1);
        assertThat(result.getInteger("sessionsEnded")).isGreaterThanOrEqualTo(1);

        int nurseCall = -1;
        while (System.nanoTime() - answeredAt < 1_000_000_000L) {
            try {
                nurseCall = onNurse.get("/v1/share-links").status();
            } catch (java.io.IOException handshakeRefused) {
                nurseCall = 0;
            }
            if (nurseCall != 200) {
                break;
            }
        }
        assertThat(nurseCall).as("the nurse's session and device are refused within a second").isIn(0, 401, 403);
        assertThat(onNurse.patientStarts(link)).as("the nurse's link is dead").isEqualTo(410);
        assertThat(count("SELECT count(*) FROM devices WHERE id = $1 AND revoked_at IS NOT NULL", nurse.deviceId())).isEqualTo(1);
        assertThat(row("SELECT status FROM users WHERE id = $1", nurse.userId()).getString(0)).isEqualTo("disabled");

        assertRefused(officer.post("/v1/admin/incidents/" + id + "/containments", new JsonObject()
                .put("action", "suspend_account").put("userId", nurse.userId().toString()).put("reason", "suspected_compromise")),
                409, "incident.already_contained");
        assertRefused(officer.post("/v1/admin/incidents/" + id + "/containments", new JsonObject()
                .put("action", "suspend_account").put("userId", UUID.randomUUID().toString()).put("reason", "suspected_compromise")),
                404, "admin.unknown_user");
        assertRefused(officer.post("/v1/admin/incidents/" + id + "/containments", new JsonObject()
                .put("action", "suspend_account").put("userId", nurse.userId().toString()).put("reason", "because I said so")),
                400, "incident.invalid");
        JsonObject shown = officer.get("/v1/admin/incidents/" + id).json();
        List<JsonObject> steps = shown.getJsonArray("timeline").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("action").startsWith("containment.")).toList();
        assertThat(steps).hasSize(1);
        assertThat(steps.get(0).getString("action")).isEqualTo("containment.suspend_account");
        assertThat(steps.get(0).getString("objectId")).isEqualTo(nurse.userId().toString());
        assertThat(steps.get(0).getString("reason")).isEqualTo("suspected_compromise");
        assertThat(steps.get(0).getString("actorUserId")).isEqualTo(officerDevice.userId().toString());
        assertThat(shown.getJsonArray("containments")).hasSize(1);
        assertThat(count("SELECT count(*) FROM incident_containments WHERE incident_id = $1", UUID.fromString(id))).isEqualTo(1);
        assertThat(audited("incident.containment.done", id)).isEqualTo(1);
    }

    @Test
    void aLostDeviceIsWipedFromTheIncidentOnceAndItsSessionEnds() throws Exception {
        SignedInDevice nurse = EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(Role.NURSE), LocalDate.now().plusYears(1));
        OfficerClient onNurse = new OfficerClient(WARDLINE.server(), nurse);
        String id = openByHand();
        String path = "/v1/admin/incidents/" + id + "/containments";
        assertRefused(officer.post(path, new JsonObject().put("action", "wipe_device").put("deviceId", UUID.randomUUID().toString())
                .put("reason", "lost_device")), 404, "device.unknown");
        OfficerClient.Reply wiped = officer.post(path, new JsonObject().put("action", "wipe_device")
                .put("deviceId", nurse.deviceId().toString()).put("reason", "lost_device"));
        assertThat(wiped.status()).as(String.valueOf(wiped.json())).isEqualTo(200);
        assertThat(wiped.json().getJsonObject("result").getString("status")).isEqualTo("pending");
        assertThat(wiped.json().getJsonObject("result").getInteger("sessionsEnded")).isGreaterThanOrEqualTo(1);
        assertThat(onNurse.get("/v1/share-links").status()).as("the lost device's session is over").isIn(401, 403);
        assertRefused(officer.post(path, new JsonObject().put("action", "wipe_device").put("deviceId", nurse.deviceId().toString())
                .put("reason", "lost_device")), 409, "incident.already_contained");
        String another = openByHand();
        assertRefused(officer.post("/v1/admin/incidents/" + another + "/containments", new JsonObject().put("action", "wipe_device")
                .put("deviceId", nurse.deviceId().toString()).put("reason", "lost_device")), 409, "device.already_wiped");
        assertThat(count("SELECT count(*) FROM incident_containments WHERE incident_id = $1", UUID.fromString(another))).isZero();
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action LIKE 'device.wipe%' AND object_id = $1",
                nurse.deviceId().toString())).as("the wipe module audits its own request").isGreaterThanOrEqualTo(1);
    }

    @Test
    void devicesLinksAndHoldsAreContainedOneStepEachWithClearErrors() throws Exception {
        SignedInDevice clinician = EnrolledDevices.enroll(WARDLINE.server());
        OfficerClient onClinician = new OfficerClient(WARDLINE.server(), clinician);
        String file = onClinician.upload("discharge summary");
        String[] first = onClinician.share(file, "patient.one@example.org");
        String[] second = onClinician.share(file, "patient.two@example.org");
        String other = onClinician.upload("lab order");
        String[] third = onClinician.share(other, "patient.three@example.org");
        String id = openByHand();
        String path = "/v1/admin/incidents/" + id + "/containments";

        OfficerClient.Reply fileLinks = officer.post(path, new JsonObject().put("action", "revoke_file_links").put("fileId", file)
                .put("reason", "misdirected_share"));
        assertThat(fileLinks.status()).as(String.valueOf(fileLinks.json())).isEqualTo(200);
        assertThat(fileLinks.json().getJsonObject("result").getInteger("shareLinksRevoked")).isEqualTo(2);
        assertThat(onClinician.patientStarts(first)).isEqualTo(410);
        assertThat(onClinician.patientStarts(second)).isEqualTo(410);
        assertThat(onClinician.patientStarts(third)).as("a link to another file lives on").isEqualTo(200);
        assertRefused(officer.post(path, new JsonObject().put("action", "revoke_file_links").put("fileId", file)
                .put("reason", "misdirected_share")), 409, "incident.already_contained");
        assertRefused(officer.post(path, new JsonObject().put("action", "revoke_link").put("linkId", UUID.randomUUID().toString())
                .put("reason", "misdirected_share")), 404, "incident.nothing_to_contain");
        OfficerClient.Reply one = officer.post(path, new JsonObject().put("action", "revoke_link").put("linkId", third[0])
                .put("reason", "misdirected_share"));
        assertThat(one.status()).as(String.valueOf(one.json())).isEqualTo(200);
        assertThat(onClinician.patientStarts(third)).isEqualTo(410);

        assertRefused(officer.post(path, new JsonObject().put("action", "revoke_device").put("deviceId", UUID.randomUUID().toString())
                .put("reason", "lost_device")), 404, "device.unknown");
        OfficerClient.Reply device = officer.post(path, new JsonObject().put("action", "revoke_device")
                .put("deviceId", clinician.deviceId().toString()).put("reason", "lost_device"));
        assertThat(device.status()).as(String.valueOf(device.json())).isEqualTo(200);
        assertThat(row("SELECT revocation_reason FROM devices WHERE id = $1", clinician.deviceId()).getString(0)).isEqualTo("lost");
        assertRefused(officer.post(path, new JsonObject().put("action", "revoke_device")
                .put("deviceId", clinician.deviceId().toString()).put("reason", "lost_device")), 409, "incident.already_contained");

        OfficerClient.Reply hold = officer.post(path, new JsonObject().put("action", "legal_hold").put("scope", "user")
                .put("subjectId", clinician.userId().toString()).put("matter", "INC-HOLD-1").put("reason", "preserve_evidence"));
        assertThat(hold.status()).as(String.valueOf(hold.json())).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM legal_holds WHERE id = $1 AND released_at IS NULL",
                UUID.fromString(hold.json().getJsonObject("result").getString("holdId")))).isEqualTo(1);
        String another = openByHand();
        assertRefused(officer.post("/v1/admin/incidents/" + another + "/containments", new JsonObject().put("action", "legal_hold")
                .put("scope", "user").put("subjectId", clinician.userId().toString()).put("matter", "INC-HOLD-2")
                .put("reason", "preserve_evidence")), 409, "legal_hold.conflict");
        assertThat(count("SELECT count(*) FROM incident_containments WHERE incident_id = $1", UUID.fromString(another)))
                .as("a failed containment leaves no claim behind").isZero();

        List<String> actions = officer.get("/v1/admin/incidents/" + id).json().getJsonArray("timeline").stream()
                .map(e -> ((JsonObject) e).getString("action")).toList();
        assertThat(actions).containsExactly("incident.opened", "containment.revoke_file_links", "containment.revoke_link",
                "containment.revoke_device", "containment.legal_hold");
    }

    @Test
    void aBreachAssessmentSetsTheDeadlineAndThresholdsAndTheIncidentIsNotifiedOnlyOnceEveryRecipientIs() throws Exception {
        Instant discovered = Instant.now().minus(java.time.Duration.ofDays(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        OfficerClient.Reply opened = officer.post("/v1/admin/incidents", new JsonObject().put("category", "misdirected_share")
                .put("severity", "high").put("discoveredAt", discovered.toString()));
        String id = opened.json().getString("id");
        String path = "/v1/admin/incidents/" + id;
        assertRefused(officer.post(path + "/notifications", notification("individuals", discovered.plusSeconds(3600))),
                409, "incident.assessment_required");

        JsonObject breach = assessment("breach", "high", 600).put("residentsByState", new JsonObject().put("MA", 550).put("NH", 50));
        assertRefused(officer.post(path + "/assessment", breach.copy().put("deadline", Instant.now().minusSeconds(60).toString())),
                422, "incident.deadline_past");
        assertRefused(officer.post(path + "/assessment", breach.copy().put("deadline", discovered.plus(java.time.Duration.ofDays(61)).toString())),
                422, "incident.deadline_past");
        assertRefused(officer.post(path + "/assessment", assessment("low_probability", "high", 3)), 422, "incident.assessment_inconsistent");
        assertRefused(officer.post(path + "/assessment", breach.copy().put("residentsByState", new JsonObject().put("MA", 601))),
                422, "incident.assessment_inconsistent");
        JsonObject badCode = assessment("breach", "low", 1);
        badCode.getJsonObject("factors").getJsonObject("recipient").put("kind", "Mrs Smith next door");
        assertRefused(officer.post(path + "/assessment", badCode), 400, "incident.invalid");
        assertThat(count("SELECT count(*) FROM incident_assessments WHERE incident_id = $1", UUID.fromString(id))).isZero();

        OfficerClient.Reply assessed = officer.post(path + "/assessment", breach);
        assertThat(assessed.status()).as(String.valueOf(assessed.json())).isEqualTo(200);
        JsonObject clock = assessed.json().getJsonObject("assessment").getJsonObject("notification");
        assertThat(Instant.parse(clock.getString("deadline"))).isEqualTo(discovered.plus(java.time.Duration.ofDays(60)));
        assertThat(clock.getLong("daysLeft")).isBetween(49L, 50L);
        assertThat(clock.getBoolean("hhsWithIndividuals")).isTrue();
        assertThat(clock.getJsonArray("mediaStates").getList()).containsExactly("MA");
        assertThat(clock.getJsonArray("requiredRecipients").getList()).containsExactly("hhs", "individuals", "media");

        assertRefused(officer.post(path + "/status", new JsonObject().put("status", "closed")), 409, "incident.notifications_missing");
        assertRefused(officer.post(path + "/notifications", notification("individuals", Instant.now().plusSeconds(3600))),
                400, "incident.invalid");
        for (String recipient : List.of("individuals", "hhs")) {
            OfficerClient.Reply sent = officer.post(path + "/notifications", notification(recipient, Instant.now().minusSeconds(60)));
            assertThat(sent.status()).as(String.valueOf(sent.json())).isEqualTo(200);
            assertThat(sent.json().getBoolean("late")).isFalse();
        }
        assertRefused(officer.post(path + "/status", new JsonObject().put("status", "notified")), 409, "incident.notifications_missing");
        assertThat(officer.post(path + "/notifications", notification("media", Instant.now().minusSeconds(30))).status()).isEqualTo(200);
        OfficerClient.Reply notified = officer.post(path + "/status", new JsonObject().put("status", "notified"));
        assertThat(notified.status()).as(String.valueOf(notified.json())).isEqualTo(200);
        assertThat(officer.post(path + "/status", new JsonObject().put("status", "closed")).status()).isEqualTo(200);
        JsonObject shown = officer.get(path).json();
        assertThat(shown.getJsonArray("notifications")).hasSize(3);
        assertThat(shown.getJsonObject("assessment").getString("conclusion")).isEqualTo("breach");
        assertThat(audited("incident.notification.recorded", id)).isEqualTo(3);
    }

    @Test
    void theNotificationClockRaisesItsRemindersAt30And7And1DaysAndWhenTheDeadlinePassesEachOnceUnderATestClock() throws Exception {
        String id = openByHand();
        OfficerClient.Reply assessed = officer.post("/v1/admin/incidents/" + id + "/assessment", assessment("breach", "medium", 12));
        assertThat(assessed.status()).as(String.valueOf(assessed.json())).isEqualTo(200);
        Instant deadline = Instant.parse(assessed.json().getJsonObject("assessment").getJsonObject("notification").getString("deadline"));
        SettableClock clock = new SettableClock(deadline.minus(java.time.Duration.ofDays(31)));
        NotificationClock reminders = new NotificationClock(WARDLINE.server().database().pool(), WARDLINE.server().audit(), clock);

        assertThat(mine(reminders, id)).as("31 days before").isEmpty();
        List<String> raised = new ArrayList<>();
        for (int days : List.of(30, 7, 1)) {
            clock.set(deadline.minus(java.time.Duration.ofDays(days)).plusSeconds(1));
            assertThat(mine(reminders, id)).as(days + " days before").containsExactly(id + ":" + days);
            assertThat(mine(reminders, id)).as("raised once").isEmpty();
            raised.add(id + ":" + days);
        }
        clock.set(deadline);
        assertThat(mine(reminders, id)).as("on the deadline itself, not yet passed").isEmpty();
        clock.set(deadline.plusSeconds(60));
        assertThat(mine(reminders, id)).containsExactly(id + ":0");

        WARDLINE.server().alerting().pollNow();
        List<String> severities = List.of();
        for (int i = 0; i < 100 && severities.size() < 4; i++) {
            Thread.onSpinWait();
            severities = await(WARDLINE.server().database().pool().preparedQuery("SELECT severity FROM security_alerts WHERE "
                    + "rule = 'incident_deadline' AND object_id = $1 ORDER BY alert_count DESC").execute(Tuple.of(id)))
                    .stream().map(r -> r.getString(0)).toList();
            if (severities.size() < 4) {
                java.util.concurrent.TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        assertThat(severities).containsExactly("WARNING", "HIGH", "CRITICAL", "CRITICAL");
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'incident.deadline.reminder' AND object_id = $1", id))
                .isEqualTo(4);
    }

    private static List<String> mine(NotificationClock clock, String incident) throws Exception {
        return await(clock.check()).stream().filter(s -> s.startsWith(incident)).toList();
    }

    static JsonObject assessment(String conclusion, String risk, int affected) {
        return new JsonObject().put("factors", new JsonObject()
                        .put("natureAndExtent", new JsonObject().put("phiTypes", new JsonArray().add("demographic").add("lab_result")).put("risk", risk))
                        .put("recipient", new JsonObject().put("kind", "wrong_patient").put("risk", risk))
                        .put("acquiredOrViewed", new JsonObject().put("finding", "downloaded").put("risk", risk))
                        .put("mitigation", new JsonObject().put("measures", new JsonArray().add("links_revoked")).put("risk", risk)))
                .put("conclusion", conclusion).put("affectedIndividuals", affected);
    }

    static JsonObject notification(String recipient, Instant sentAt) {
        return new JsonObject().put("recipient", recipient).put("method", recipient.equals("hhs") ? "hhs_portal"
                : recipient.equals("media") ? "press_release" : "first_class_mail").put("notified", 600).put("sentAt", sentAt.toString());
    }

    private static void assertRefused(OfficerClient.Reply r, int status, String code) {
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(status);
        assertThat(r.error()).isEqualTo(code);
    }

    static String openByHand() throws Exception {
        OfficerClient.Reply r = officer.post("/v1/admin/incidents", new JsonObject().put("category", "lost_device").put("severity", "medium"));
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
        return r.json().getString("id");
    }

    /** An alert as the alert inbox stores it. */
    static UUID alert(String rule, String severity, UUID actor) throws Exception {
        UUID id = UUID.randomUUID();
        await(WARDLINE.server().database().pool().preparedQuery("INSERT INTO security_alerts (id, rule, severity, occurred_at, "
                + "audit_seq, alert_count, actor_user_id, summary) VALUES ($1, $2, $3, $4, 1, 25, $5, '25 downloads or exports by one user')")
                .execute(Tuple.of(id, rule, severity, OffsetDateTime.now(ZoneOffset.UTC), actor)));
        return id;
    }

    static long audited(String action, String objectId) throws Exception {
        return count("SELECT count(*) FROM audit_entries WHERE action = $1 AND object_id = $2", action, objectId);
    }

    static long count(String sql, Object... args) throws Exception {
        return row(sql, args).getLong(0);
    }

    static Row row(String sql, Object... args) throws Exception {
        return await(WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.wrap(args))).iterator().next();
    }

    static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get();
    }
}
