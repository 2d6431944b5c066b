package org.wardline.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.ConversationMember;
import org.wardline.clients.messaging.LegalHoldMembership;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.MessagingException;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.sdk.Admin;
import org.wardline.clients.sdk.LegalHolds;
import org.wardline.clients.sdk.WardlineClientException;
import org.wardline.protocol.mls.DeviceMlsIdentity;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.MlsSuites;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.server.account.Role;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wardline.server.delivery.RecordingListener.next;

/**
 * Issue 8, legal hold with a records custodian, against the real dev server: a custodian-required hold on a user puts
 * the custodian's device into that user's conversations as a visible member (added by a member's client by itself),
 * every participant sees it labelled, it reads what is sent from then on and nothing before, it is refused where no
 * hold covers the conversation, and a released hold takes it out again. Bad input is refused with a code and audited.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LegalHoldCustodianTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();
    private static final String LABEL = "legal hold (records custodian)";

    @TempDir
    static Path vaults;

    static final List<MessagingClient> CLIENTS = new ArrayList<>();
    static UUID adminId;
    static Admin admin;
    static Device alice;
    static Device bob;
    static Device custodian;
    static UUID custodianUser;
    static ConversationId held;
    static ConversationId createdWhileHeld;
    static String holdId;

    private record Device(MessagingClient client, RecordingListener events, DeviceCredentials credentials) {
        LegalHolds.Requirements requirements() {
            return LegalHolds.api(credentials.sslContext(), credentials.deviceListener()).requirements();
        }

        DeviceUri uri() {
            return client.device();
        }
    }

    @BeforeAll
    static void anAdminDevice() throws Exception {
        adminId = UUID.randomUUID();
        admin = new Admin(EnrolledDevices.enroll(WARDLINE.server(), adminId, Set.of(Role.ADMIN), LocalDate.now().plusYears(1)).identity());
    }

    @AfterAll
    static void close() {
        CLIENTS.forEach(MessagingClient::close);
    }

    @Test
    @Order(1)
    void aHoldThatRequiresACustodianIsRefusedWhileNoneIsDesignated() throws Exception {
        UUID nurse = CareTeams.teamMate(WARDLINE.server());
        assertThat(errorOf(() -> admin.placeHold("user", nurse.toString(), "LIT-2026-101", true))).isEqualTo("legal_hold.no_custodian");
        assertThat(errorOf(() -> admin.placeHold("user", nurse.toString(), "LIT-2026-101", true, nurse)))
                .as("a clinician named as custodian (a forged designation)").isEqualTo("legal_hold.custodian_invalid");
        assertThat(admin.holds(true).path("holds")).as("nothing was placed").isEmpty();
        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'admin.request.refused' AND details LIKE '%legal_hold.no_custodian%'", 1);
        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'admin.request.refused' AND details LIKE '%legal_hold.custodian_invalid%'", 1);
    }

    @Test
    @Order(2)
    void theCustodianJoinsTheHeldUsersConversationVisiblyAndReadsOnlyWhatFollows() throws Exception {
        custodianUser = CareTeams.user(WARDLINE.server(), Set.of(Role.RECORDS_CUSTODIAN), LocalDate.now().plusYears(1));
        custodian = start(custodianUser);
        alice = start(CareTeams.teamMate(WARDLINE.server()));
        bob = start(CareTeams.teamMate(WARDLINE.server()));
        held = await(alice.client().createConversation());
        await(alice.client().invite(held, List.of(bob.uri().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(held);
        await(alice.client().send(held, utf8("before the hold")));
        assertThat(next(bob.events().messages).text()).isEqualTo("before the hold");

        JsonNode hold = admin.placeHold("user", alice.uri().user().toString(), "LIT-2026-102", true);
        holdId = hold.path("id").asText();
        assertThat(hold.path("custodianUserId").asText()).as("the organisation's designated custodian").isEqualTo(custodianUser.toString());
        assertThat(hold.path("conversationsNotified").asInt()).isEqualTo(1);

        assertThat(next(custodian.events().joined)).as("added by a member's client, told by the LEGAL_HOLD_CHANGED notice").isEqualTo(held);
        List<ConversationMember> seenByBob = eventually(() -> labelled(bob, held), m -> m.stream().anyMatch(ConversationMember::isLegalHold));
        assertThat(seenByBob).filteredOn(ConversationMember::isLegalHold).extracting(ConversationMember::device)
                .containsExactly(custodian.uri());
        assertThat(seenByBob).filteredOn(ConversationMember::isLegalHold).extracting(m -> m.legalHold().orElseThrow())
                .containsExactly(LABEL);
        assertThat(seenByBob).filteredOn(m -> !m.isLegalHold()).extracting(ConversationMember::device)
                .containsExactlyInAnyOrder(alice.uri(), bob.uri());
        assertThat(eventually(() -> labelled(alice, held), m -> m.size() == 3)).filteredOn(ConversationMember::isLegalHold).hasSize(1);

        await(bob.client().send(held, utf8("after the hold")));
        assertThat(next(custodian.events().messages).text()).isEqualTo("after the hold");
        assertThat(next(alice.events().messages).text()).isEqualTo("after the hold");
        assertThat(await(custodian.client().history())).extracting(ReceivedMessage::text)
                .as("the custodian cannot read what was sent before it joined").containsExactly("after the hold");

        assertThat(alice.requirements().add()).extracting(LegalHolds.CustodianRequirement::matter)
                .as("the held user sees the matter").containsExactly("LIT-2026-102");
        assertThat(bob.requirements().add()).extracting(LegalHolds.CustodianRequirement::matter)
                .as("another member learns of the hold, not its matter").containsOnlyNulls().hasSize(1);
        assertThat(bob.requirements().add().get(0).addDevices()).as("nothing left to add").isEmpty();
        LegalHoldMembership.Report again = await(bob.client().legalHold().checkNow());
        assertThat(again.added()).as("already done: nothing more to add").isZero();
        assertThat(await(alice.client().legalHold().checkNow()).added()).isZero();
        assertThat(count("SELECT count(*) FROM conversation_members WHERE device_id = $1 AND removed_epoch IS NULL",
                custodian.uri().device())).as("added once").isEqualTo(1);
        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'legalhold.custodian_added'", 1);

        createdWhileHeld = await(alice.client().createConversation());
        assertThat(next(custodian.events().joined)).as("a conversation the held user creates gets the custodian at once")
                .isEqualTo(createdWhileHeld);
        await(alice.client().invite(createdWhileHeld, List.of(bob.uri().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(createdWhileHeld);
        assertThat(eventually(() -> labelled(bob, createdWhileHeld), m -> m.size() == 3))
                .filteredOn(ConversationMember::isLegalHold).extracting(ConversationMember::device).containsExactly(custodian.uri());
    }

    @Test
    @Order(3)
    void aCustodianDeviceIsRefusedWhereNoHoldCoversTheConversationAndAudited() throws Exception {
        Device carol = start(CareTeams.teamMate(WARDLINE.server()));
        Device dave = start(CareTeams.teamMate(WARDLINE.server()));
        ConversationId unheld = await(carol.client().createConversation());
        await(carol.client().invite(unheld, List.of(dave.uri().userUri())));
        assertThat(codeOf(carol.client().addIfAbsent(unheld, custodian.uri())))
                .as("a member of no held conversation may not even claim the custodian's key package").isEqualTo("auth.forbidden");

        ConversationId bobsOther = await(bob.client().createConversation());
        await(bob.client().invite(bobsOther, List.of(dave.uri().userUri())));
        long epoch = await(bob.client().epoch(bobsOther));
        assertThat(codeOf(bob.client().addIfAbsent(bobsOther, custodian.uri())))
                .as("bob may claim (he is in a held conversation) but not commit the custodian into an unheld one")
                .isEqualTo("auth.forbidden");
        assertThat(await(bob.client().epoch(bobsOther))).isEqualTo(epoch);
        assertThat(count("SELECT count(*) FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id "
                + "WHERE m.device_id = $1 AND c.group_id = decode('" + bobsOther.hex() + "', 'hex')", custodian.uri().device())).isZero();

        ConversationId custodians = await(custodian.client().createConversation());
        assertThat(codeOf(custodian.client().invite(custodians, List.of(bob.uri().userUri()))))
                .as("a custodian device adds no one").isEqualTo("auth.forbidden");

        RawDevice forger = new RawDevice(TestDevices.device(WARDLINE.server(), dave.uri().user())).connect();
        try (forger) {
            forger.hello();
            byte[] forged = DeviceMlsIdentity.generate(custodian.uri(), MlsSuites.DEFAULT_ID).newKeyPackage().encoded();
            assertThat(forger.error(Frame.of(FrameType.UPLOAD_KEY_PACKAGES, 0).with(Tag.KEY_PACKAGE, forged)))
                    .as("a non-custodian's key package claiming the custodian's identity").isEqualTo("mls.invalid");
        }
        assertThat(await(carol.client().legalHold().members(unheld))).noneMatch(ConversationMember::isLegalHold);

        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'account.access_denied' "
                + "AND details LIKE '%conversation_member:custodian_not_held%'", 2);
        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'account.access_denied' "
                + "AND details LIKE '%conversation_member:custodian_adds_no_one%'", 1);
    }

    @Test
    @Order(4)
    void aSecondHoldOnTheSameUserAndReleasingAnUnknownHoldAreRefusedAndAudited() throws Exception {
        assertThat(errorOf(() -> admin.placeHold("user", alice.uri().user().toString(), "LIT-2026-103", true)))
                .isEqualTo("legal_hold.conflict");
        assertThat(errorOf(() -> admin.releaseHold(UUID.randomUUID()))).isEqualTo("resource.not_found");
        assertThat(admin.holds(true).path("holds")).hasSize(1);
        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'admin.request.refused' AND details LIKE '%legal_hold.conflict%'", 1);
        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'admin.request.refused' AND details LIKE '%resource.not_found%'", 1);
    }

    @Test
    @Order(5)
    void releasingTheHoldRemovesTheCustodianAndNewConversationsNoLongerGetIt() throws Exception {
        JsonNode released = admin.releaseHold(UUID.fromString(holdId));
        assertThat(released.path("active").asBoolean()).isFalse();
        assertThat(next(custodian.events().removed, 2)).containsExactlyInAnyOrder(held, createdWhileHeld);
        assertThat(eventually(() -> labelled(bob, held), m -> m.size() == 2)).noneMatch(ConversationMember::isLegalHold);
        await(bob.client().send(held, utf8("after the release")));
        assertThat(next(alice.events().messages).text()).isEqualTo("after the release");
        assertThat(custodian.events().messages.poll(1, TimeUnit.SECONDS)).as("the custodian reads nothing after release").isNull();

        ConversationId after = await(alice.client().createConversation());
        await(alice.client().invite(after, List.of(bob.uri().userUri())));
        await(alice.client().legalHold().checkNow());
        assertThat(await(alice.client().members(after))).containsExactlyInAnyOrder(alice.uri(), bob.uri());
        assertThat(custodian.events().joined.poll(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    @Order(6)
    void aHoldOnATeamBringsTheCustodianIntoItsMembersConversations() throws Exception {
        UUID ward = CareTeams.team(WARDLINE.server());
        Device erin = start(CareTeams.clinician(WARDLINE.server(), ward, CareTeams.sharedTeam(WARDLINE.server())));
        Device frank = start(CareTeams.teamMate(WARDLINE.server()));
        ConversationId id = await(erin.client().createConversation());
        await(erin.client().invite(id, List.of(frank.uri().userUri())));
        assertThat(next(frank.events().joined)).isEqualTo(id);
        JsonNode hold = admin.placeHold("team", ward.toString(), "LIT-2026-105", true);
        assertThat(next(custodian.events().joined)).isEqualTo(id);
        assertThat(eventually(() -> labelled(frank, id), m -> m.size() == 3)).filteredOn(ConversationMember::isLegalHold)
                .extracting(ConversationMember::device).containsExactly(custodian.uri());
        admin.releaseHold(UUID.fromString(hold.path("id").asText()));
        assertThat(next(custodian.events().removed)).isEqualTo(id);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static Device start(UUID user) throws Exception {
        RecordingListener events = new RecordingListener();
        DeviceCredentials credentials = TestDevices.device(WARDLINE.server(), user);
        MessagingClient c = MessagingClient.start(credentials,
                LocalVault.open(vaults.resolve(UUID.randomUUID().toString()), "vault-pass".toCharArray()), events);
        CLIENTS.add(c);
        c.connected().get(60, TimeUnit.SECONDS);
        return new Device(c, events, credentials);
    }

    private static List<ConversationMember> labelled(Device d, ConversationId id) throws Exception {
        return await(d.client().legalHold().members(id));
    }

    private interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls until {@code done} holds (the other member's commit is processed asynchronously), for up to 60 s. */
    private static <T> T eventually(Probe<T> probe, java.util.function.Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        T last = probe.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = probe.get();
        }
        return last;
    }

    private static String errorOf(Supplier<?> call) {
        try {
            call.get();
        } catch (WardlineClientException e) {
            return e.errorCode();
        }
        throw new AssertionError("expected a refusal");
    }

    private static String codeOf(CompletableFuture<?> f) throws Exception {
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            assertThat(t).isInstanceOf(MessagingException.class);
            return ((MessagingException) t).code();
        }
        throw new AssertionError("expected a refusal");
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long count(String sql, Object... args) throws Exception {
        Row r = WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.from(args))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).iterator().next();
        return r.getLong(0);
    }

    private static void awaitCount(String sql, long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long n = count(sql);
        while (n < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
            n = count(sql);
        }
        assertThat(n).as(sql).isGreaterThanOrEqualTo(atLeast);
    }
}
