package org.wardline.server.delivery;

import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.Role;
import org.wardline.server.account.UserStore;
import org.wardline.server.audit.AuditQueueFull;
import org.wardline.server.rbac.AccessGrants;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The care-team membership policy in the running server: who may claim whose key packages and commit whom in. */
class CareTeamMembershipTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static RawDevice deviceOf(UUID user) throws Exception {
        return new RawDevice(TestDevices.device(WARDLINE.server(), user)).connect().hello();
    }

    private static Frame claimUser(UUID user) {
        return Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.USER, "urn:wardline:user:" + user);
    }

    private static long count(String sql, Object... args) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.from(args))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }

    /** Audit entries are written asynchronously after the answer: wait for one to appear. */
    private static long auditEntries(String action, UUID actor, UUID member) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long n;
        do {
            n = count("SELECT count(*) FROM audit_entries WHERE action = $1 AND actor_user_id = $2 AND object_id = $3",
                    action, actor, member.toString());
            if (n > 0) {
                return n;
            }
            Thread.sleep(50); // the audit write follows the answer
        } while (System.nanoTime() < deadline);
        return n;
    }

    private static Frame commitFrame(ConversationGroup g, ConversationGroup.PendingCommit c) {
        Frame f = Frame.of(FrameType.COMMIT, 0).with(Tag.GROUP_ID, g.groupId()).with(Tag.EPOCH, c.fromEpoch())
                .with(Tag.PAYLOAD, c.commit())
                .withEach(Tag.ADDED, c.added().stream().map(DeviceUri::toString).toList());
        return c.welcome() == null ? f : f.with(Tag.WELCOME, c.welcome());
    }

    @Test
    void anOutsiderCanBeNeitherClaimedNorCommittedInButATeamMateCan() throws Exception {
        UUID team = CareTeams.team(WARDLINE.server());
        UUID otherTeam = CareTeams.team(WARDLINE.server());
        UUID aliceUser = CareTeams.clinician(WARDLINE.server(), team);
        try (RawDevice alice = deviceOf(aliceUser);
             RawDevice mate = deviceOf(CareTeams.clinician(WARDLINE.server(), team, otherTeam));
             RawDevice outsider = deviceOf(CareTeams.clinician(WARDLINE.server(), otherTeam))) {
            mate.uploadKeyPackages(2);
            outsider.uploadKeyPackages(2);
            assertThat(alice.error(claimUser(outsider.uri().user()))).isEqualTo(ErrorCode.FORBIDDEN.code());
            assertThat(alice.error(Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.DEVICE, outsider.uri().toString())))
                    .isEqualTo(ErrorCode.FORBIDDEN.code());
            assertThat(count("SELECT count(*) FROM mls_key_packages WHERE device_id = $1", outsider.uri().device()))
                    .as("nothing claimed").isEqualTo(2);
            assertThat(auditEntries("account.access_denied", aliceUser, outsider.uri().user())).isPositive();

            byte[] groupId = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
            ConversationGroup a = ConversationGroup.create(alice.identity, groupId);
            alice.ok(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, groupId));
            // A key package obtained out of band does not get an outsider past the server either.
            ConversationGroup.PendingCommit sneak = a.commitAdd(List.of(outsider.bundles.get(0).encoded()));
            assertThat(alice.error(commitFrame(a, sneak))).isEqualTo(ErrorCode.FORBIDDEN.code());
            assertThat(count("SELECT epoch FROM conversations WHERE group_id = $1", io.vertx.core.buffer.Buffer.buffer(groupId)))
                    .isZero();
            assertThat(count("SELECT count(*) FROM device_inbox WHERE device_id = $1", outsider.uri().device())).isZero();

            ConversationGroup fresh = ConversationGroup.create(alice.identity, groupId);
            Frame claimed = alice.ok(claimUser(mate.uri().user()));
            ConversationGroup.PendingCommit add = fresh.commitAdd(claimed.all(Tag.KEY_PACKAGE));
            assertThat(alice.ok(commitFrame(fresh, add)).u64(Tag.EPOCH)).isEqualTo(1);
            Frame welcome = mate.nextDelivery();
            assertThat(DeliveryKind.forCode(welcome.u64(Tag.KIND))).isEqualTo(DeliveryKind.WELCOME);
        }
    }

    @Test
    void aUserMayAlwaysAddTheirOwnDevicesButNeedsMessageSendAndCurrentTraining() throws Exception {
        UUID team = CareTeams.team(WARDLINE.server());
        UUID loner = CareTeams.clinician(WARDLINE.server());
        UUID billing = CareTeams.user(WARDLINE.server(), Set.of(Role.BILLING), LocalDate.now().plusYears(1), team);
        UUID lapsed = CareTeams.user(WARDLINE.server(), Set.of(Role.NURSE), LocalDate.now().minusDays(1), team);
        UUID admin = CareTeams.user(WARDLINE.server(), Set.of(Role.ADMIN), LocalDate.now().plusYears(1), team);
        UUID mate = CareTeams.clinician(WARDLINE.server(), team);
        try (RawDevice phone = deviceOf(loner); RawDevice laptop = deviceOf(loner); RawDevice mateDevice = deviceOf(mate)) {
            laptop.uploadKeyPackages(1);
            assertThat(phone.ok(claimUser(loner)).allText(Tag.DEVICE)).as("own devices, in no team")
                    .containsExactly(laptop.uri().toString());
            assertThat(mateDevice.error(claimUser(admin))).as("an admin may read no message").isEqualTo(ErrorCode.FORBIDDEN.code());
        }
        // Without MESSAGE_SEND (or with lapsed training) a device cannot even open the messaging WebSocket; the
        // policy still refuses on its own, for a session that outlives a role change.
        var pool = WARDLINE.server().database().pool();
        List<AccountEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        CareTeamMembershipPolicy policy = new CareTeamMembershipPolicy(org.wardline.server.testing.UserStores.sealed(pool), new AccessGrants(pool),
                events::add, Clock.systemUTC());
        assertThat(mayAdd(policy, DeviceUri.of(billing, UUID.randomUUID()), mate)).as("billing holds no MESSAGE_SEND").isFalse();
        assertThat(mayAdd(policy, DeviceUri.of(lapsed, UUID.randomUUID()), mate)).as("training expired").isFalse();
        assertThat(mayAdd(policy, DeviceUri.of(UUID.randomUUID(), UUID.randomUUID()), mate)).as("no such account").isFalse();
        assertThat(mayAdd(policy, DeviceUri.of(mate, UUID.randomUUID()), loner)).as("outside the team").isFalse();
        assertThat(mayAdd(policy, DeviceUri.of(mate, UUID.randomUUID()), mate)).as("own devices").isTrue();
        assertThat(events).extracting(AccountEvent::detail).containsExactly("conversation_member:no_permission",
                "conversation_member:training_expired", "conversation_member:actor_inactive", "conversation_member:outside_team");
        assertThat(events).allMatch(e -> e.type() == AccountEvent.Type.ACCESS_DENIED);
    }

    private static boolean mayAdd(CareTeamMembershipPolicy policy, DeviceUri actor, UUID member) throws Exception {
        return policy.mayAdd(actor, member).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void breakGlassOnTheMembersTeamAllowsTheAddAndIsAudited() throws Exception {
        UUID ward = CareTeams.team(WARDLINE.server());
        UUID icu = CareTeams.team(WARDLINE.server());
        UUID doctor = CareTeams.clinician(WARDLINE.server(), ward);
        UUID icuNurse = CareTeams.clinician(WARDLINE.server(), icu);
        try (RawDevice doctorDevice = deviceOf(doctor); RawDevice nurseDevice = deviceOf(icuNurse)) {
            nurseDevice.uploadKeyPackages(2);
            assertThat(doctorDevice.error(claimUser(icuNurse))).isEqualTo(ErrorCode.FORBIDDEN.code());
            CareTeams.breakGlass(WARDLINE.server(), doctor, icu);
            assertThat(doctorDevice.ok(claimUser(icuNurse)).allText(Tag.DEVICE)).containsExactly(nurseDevice.uri().toString());
            assertThat(auditEntries("account.break_glass_access", doctor, icuNurse)).isPositive();
            assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'account.break_glass_access' "
                    + "AND actor_user_id = $1 AND flags LIKE '%break%'", doctor)).as("flagged for review").isPositive();
        }
    }

    @Test
    void aBreakGlassAddWhoseEntryCannotBeWrittenIsRefusedAndClaimsNothing() throws Exception {
        UUID ward = CareTeams.team(WARDLINE.server());
        UUID icu = CareTeams.team(WARDLINE.server());
        UUID doctor = CareTeams.clinician(WARDLINE.server(), ward);
        UUID icuNurse = CareTeams.clinician(WARDLINE.server(), icu);
        try (RawDevice doctorDevice = deviceOf(doctor); RawDevice nurseDevice = deviceOf(icuNurse)) {
            nurseDevice.uploadKeyPackages(2);
            CareTeams.breakGlass(WARDLINE.server(), doctor, icu);
            String refused;
            try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
                refused = doctorDevice.error(claimUser(icuNurse));
            }
            assertThat(refused).isEqualTo(ErrorCode.AUDIT_UNAVAILABLE.code());
            assertThat(count("SELECT count(*) FROM mls_key_packages WHERE device_id = $1", nurseDevice.uri().device()))
                    .as("nothing claimed").isEqualTo(2);
            assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'account.break_glass_access' AND actor_user_id = $1",
                    doctor)).isZero();

            assertThat(doctorDevice.ok(claimUser(icuNurse)).allText(Tag.DEVICE)).containsExactly(nurseDevice.uri().toString());
            assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'account.break_glass_access' AND actor_user_id = $1",
                    doctor)).as("written before the answer").isEqualTo(1);
        }
    }
}
