package org.wardline.server.delivery;

import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceMlsIdentity;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.MlsSuites;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.protocol.wire.WireLimits;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire protocol's rules against a real server, with devices that send exactly the frames each test needs. */
class DeliveryProtocolTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static RawDevice device() throws Exception {
        return new RawDevice(TestDevices.teamMate(WARDLINE.server())).connect();
    }

    private static long count(String sql, Object... args) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.from(args))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }

    /** Alice creates a group and adds the given devices (each uploads a key package first); all end at epoch 1. */
    private record Setup(ConversationGroup alice, List<ConversationGroup> others) {
    }

    private static Setup conversation(RawDevice alice, RawDevice... others) throws Exception {
        byte[] groupId = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        ConversationGroup a = ConversationGroup.create(alice.identity, groupId);
        alice.ok(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, groupId));
        Frame claim = Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0);
        for (RawDevice o : others) {
            o.uploadKeyPackages(2);
            claim = claim.with(Tag.DEVICE, o.uri().toString());
        }
        Frame claimed = alice.ok(claim);
        assertThat(claimed.type()).isEqualTo(FrameType.KEY_PACKAGES);
        ConversationGroup.PendingCommit add = a.commitAdd(claimed.all(Tag.KEY_PACKAGE));
        alice.ok(commitFrame(a, add));
        a.accept(add);
        List<ConversationGroup> joined = new ArrayList<>();
        for (RawDevice o : others) {
            Frame welcome = o.nextDelivery();
            assertThat(DeliveryKind.forCode(welcome.u64(Tag.KIND))).isEqualTo(DeliveryKind.WELCOME);
            joined.add(o.join(welcome));
            o.ack(welcome);
        }
        return new Setup(a, joined);
    }

    private static Frame commitFrame(ConversationGroup g, ConversationGroup.PendingCommit c) {
        Frame f = Frame.of(FrameType.COMMIT, 0).with(Tag.GROUP_ID, g.groupId()).with(Tag.EPOCH, c.fromEpoch())
                .with(Tag.PAYLOAD, c.commit())
                .withEach(Tag.ADDED, c.added().stream().map(DeviceUri::toString).toList())
                .withEach(Tag.REMOVED, c.removed().stream().map(DeviceUri::toString).toList());
        return c.welcome() == null ? f : f.with(Tag.WELCOME, c.welcome());
    }

    private static Frame send(ConversationGroup g, byte[] payload) {
        return Frame.of(FrameType.SEND, 0).with(Tag.GROUP_ID, g.groupId()).with(Tag.EPOCH, g.epoch()).with(Tag.PAYLOAD, payload);
    }

    @Test
    void framesBeforeHelloAndMalformedFramesGetErrorsAndTheConnectionSurvives() throws Exception {
        try (RawDevice d = device()) {
            assertThat(d.error(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, new byte[] {1})))
                    .isEqualTo(ErrorCode.PROTOCOL_STATE.code());
            d.hello();
            assertThat(d.error(Frame.of(FrameType.HELLO, 0))).isEqualTo(ErrorCode.PROTOCOL_STATE.code());
            assertThat(d.error(Frame.of(FrameType.SEND, 0).with(Tag.GROUP_ID, new byte[] {1})))
                    .as("missing fields").isEqualTo(ErrorCode.PROTOCOL_MALFORMED.code());
            assertThat(d.error(Frame.of(FrameType.OK, 0))).as("server-only type").isEqualTo(ErrorCode.PROTOCOL_MALFORMED.code());
            assertThat(d.error(Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.DEVICE, "urn:wardline:user:x:device:y")))
                    .isEqualTo(ErrorCode.PROTOCOL_MALFORMED.code());
            d.connection.sendRaw(new byte[] {1, 2, 3}).get(5, TimeUnit.SECONDS);
            byte[] truncated = FrameCodec.encode(Frame.of(FrameType.ACK, 0).with(Tag.SEQ, 1));
            d.connection.sendRaw(java.util.Arrays.copyOf(truncated, truncated.length - 2)).get(5, TimeUnit.SECONDS);
            assertThat(d.ok(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, UUID.randomUUID().toString().getBytes()))
                    .type()).as("still serving after garbage").isEqualTo(FrameType.OK);
        }
    }

    @Test
    void anAckSaysWhichDeliveriesWereKeptUnreadAndTheServerRecordsThemByIdOnly() throws Exception {
        try (RawDevice alice = device().hello(); RawDevice bob = device().hello()) {
            Setup s = conversation(alice, bob);
            alice.ok(send(s.alice(), s.alice().protect("first".getBytes())));
            alice.ok(send(s.alice(), s.alice().protect("second".getBytes())));
            Frame first = bob.nextDelivery();
            Frame second = bob.nextDelivery();
            long seq = second.u64(Tag.SEQ);
            bob.ok(Frame.of(FrameType.ACK, 0).with(Tag.SEQ, first.u64(Tag.SEQ)).with(Tag.SEQ, seq)
                    .with(Tag.UNREAD, seq + " undecryptable"));
            assertThat(count("SELECT count(*) FROM device_inbox WHERE device_id = $1", bob.uri().device())).isZero();
            assertThat(count("SELECT count(*) FROM unread_deliveries WHERE device_id = $1", bob.uri().device())).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM unread_deliveries WHERE device_id = $1 AND message_id = $2 AND reason = "
                    + "'undecryptable' AND sender_device = $3", bob.uri().device(), second.u64(Tag.MESSAGE_ID), alice.uri().device()))
                    .as("the message, its sender and the reason").isEqualTo(1);
        }
    }

    @Test
    void anUnreadMarkForAnotherSeqAnUnknownReasonOrTwiceTheSameIsRefusedAndNothingIsAcknowledged() throws Exception {
        try (RawDevice alice = device().hello(); RawDevice bob = device().hello()) {
            Setup s = conversation(alice, bob);
            alice.ok(send(s.alice(), s.alice().protect("kept".getBytes())));
            long seq = bob.nextDelivery().u64(Tag.SEQ);
            Frame ack = Frame.of(FrameType.ACK, 0).with(Tag.SEQ, seq);
            for (Frame bad : List.of(ack.with(Tag.UNREAD, (seq + 1) + " undecryptable"), ack.with(Tag.UNREAD, seq + " unread"),
                    ack.with(Tag.UNREAD, seq + " undecryptable").with(Tag.UNREAD, seq + " epoch.earlier"),
                    ack.with(Tag.UNREAD, String.valueOf(seq)))) {
                assertThat(bob.error(bad)).as(bad.allText(Tag.UNREAD).toString()).isEqualTo(ErrorCode.PROTOCOL_MALFORMED.code());
            }
            assertThat(count("SELECT count(*) FROM device_inbox WHERE device_id = $1", bob.uri().device())).as("not acknowledged")
                    .isEqualTo(1);
            assertThat(count("SELECT count(*) FROM unread_deliveries WHERE device_id = $1", bob.uri().device())).isZero();
            bob.ok(ack);
            assertThat(count("SELECT count(*) FROM device_inbox WHERE device_id = $1", bob.uri().device())).isZero();
        }
    }

    @Test
    void aFrameOverTheSizeLimitIsRefusedAndNothingIsStored() throws Exception {
        try (RawDevice alice = device().hello(); RawDevice bob = device().hello()) {
            Setup s = conversation(alice, bob);
            long before = count("SELECT count(*) FROM conversation_messages");
            byte[] big = FrameCodec.encode(Frame.of(FrameType.SEND, 77).with(Tag.GROUP_ID, s.alice().groupId())
                    .with(Tag.EPOCH, 1).with(Tag.PAYLOAD, new byte[WireLimits.MAX_FRAME_BYTES - 100]));
            byte[] oversized = java.util.Arrays.copyOf(big, WireLimits.MAX_FRAME_BYTES + 1000);
            alice.connection.sendRaw(oversized).get(5, TimeUnit.SECONDS);
            Frame refusal = alice.connection.unmatched().poll(10, TimeUnit.SECONDS);
            assertThat(refusal).isNotNull();
            assertThat(refusal.requestId()).isEqualTo(77);
            assertThat(refusal.text(Tag.ERROR_CODE)).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE.code());
            assertThat(count("SELECT count(*) FROM conversation_messages")).isEqualTo(before);
            assertThat(alice.ok(send(s.alice(), s.alice().protect("fits".getBytes()))).type()).as("connection survives")
                    .isEqualTo(FrameType.OK);
            assertThat(count("SELECT count(*) FROM conversation_messages")).isEqualTo(before + 1);
        }
    }

    @Test
    void aWebSocketMessageOverTheLimitClosesTheConnectionWithMessageTooBig() throws Exception {
        try (RawDevice d = device().hello()) {
            d.connection.sendRaw(new byte[300 * 1024]).get(5, TimeUnit.SECONDS);
            assertThat(d.connection.closeStatus().get(10, TimeUnit.SECONDS)).as("PROTOCOL.md: the connection is closed")
                    .isEqualTo(1009);
        }
    }

    @Test
    void framesThatArriveAfterTheServersCloseAreNotRead() throws Exception {
        try (RawDevice d = device().hello()) {
            byte[] groupId = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
            byte[] garbage = {1, 2, 3};
            for (int i = 0; i <= 100; i++) { // 100 undecodable frames are tolerated (DeliverySettings)
                d.connection.sendRaw(garbage);
            }
            d.connection.sendRaw(FrameCodec.encode(Frame.of(FrameType.CREATE_CONVERSATION, 9).with(Tag.GROUP_ID, groupId)))
                    .get(5, TimeUnit.SECONDS);
            assertThat(d.connection.closeStatus().get(10, TimeUnit.SECONDS)).isEqualTo(1008);
            assertThat(count("SELECT count(*) FROM conversations WHERE group_id = $1", groupId))
                    .as("a request sent after the last tolerated bad frame is not processed").isZero();
        }
    }

    @Test
    void keyPackagesAreClaimedOnceThenTheLastResortIsReused() throws Exception {
        try (RawDevice alice = device().hello(); RawDevice bob = device().hello()) {
            byte[] oneTime = bob.identity.newKeyPackage().encoded();
            byte[] lastResort = bob.identity.newKeyPackage().encoded();
            bob.ok(Frame.of(FrameType.UPLOAD_KEY_PACKAGES, 0).with(Tag.KEY_PACKAGE, oneTime).with(Tag.LAST_RESORT, lastResort));
            Frame claimBob = Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.USER, bob.uri().userUri());
            assertThat(alice.ok(claimBob).bytes(Tag.KEY_PACKAGE)).isEqualTo(oneTime);
            assertThat(alice.ok(claimBob).bytes(Tag.KEY_PACKAGE)).isEqualTo(lastResort);
            assertThat(alice.ok(claimBob).bytes(Tag.KEY_PACKAGE)).isEqualTo(lastResort);
            assertThat(count("SELECT count(*) FROM mls_key_packages WHERE device_id = $1", bob.uri().device())).isEqualTo(1);
            UUID silentTeamMate = org.wardline.server.testing.CareTeams.teamMate(WARDLINE.server());
            assertThat(alice.error(Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.USER, "urn:wardline:user:" + silentTeamMate)))
                    .as("a team-mate with no device online").isEqualTo(ErrorCode.KEY_PACKAGE_UNAVAILABLE.code());
            assertThat(alice.error(Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.USER, "urn:wardline:user:" + UUID.randomUUID())))
                    .as("no such account").isEqualTo(ErrorCode.FORBIDDEN.code());
        }
    }

    @Test
    void keyPackagesMustNameTheUploadingDeviceAndBeValid() throws Exception {
        try (RawDevice bob = device().hello()) {
            DeviceMlsIdentity impostor = DeviceMlsIdentity.generate(DeviceUri.of(bob.uri().user(), UUID.randomUUID()), MlsSuites.DEFAULT_ID);
            assertThat(bob.error(Frame.of(FrameType.UPLOAD_KEY_PACKAGES, 0).with(Tag.KEY_PACKAGE, impostor.newKeyPackage().encoded())))
                    .isEqualTo(ErrorCode.MLS_INVALID.code());
            assertThat(bob.error(Frame.of(FrameType.UPLOAD_KEY_PACKAGES, 0).with(Tag.KEY_PACKAGE, new byte[] {0, 1, 0, 5, 9})))
                    .isEqualTo(ErrorCode.MLS_INVALID.code());
            assertThat(count("SELECT count(*) FROM mls_key_packages WHERE device_id = $1", bob.uri().device())).isZero();
        }
    }

    @Test
    void exactlyOneOfTwoConcurrentCommitsWinsAndTheLoserConvergesAfterRetrying() throws Exception {
        try (RawDevice alice = device().hello(); RawDevice bob = device().hello()) {
            Setup s = conversation(alice, bob);
            ConversationGroup a = s.alice();
            ConversationGroup b = s.others().get(0);
            ConversationGroup.PendingCommit fromAlice = a.commitAdd(List.of());
            ConversationGroup.PendingCommit fromBob = b.commitAdd(List.of());
            CompletableFuture<Frame> aliceAnswer = alice.connection.request(commitFrame(a, fromAlice));
            CompletableFuture<Frame> bobAnswer = bob.connection.request(commitFrame(b, fromBob));
            List<String> outcomes = new ArrayList<>();
            for (CompletableFuture<Frame> answer : List.of(aliceAnswer, bobAnswer)) {
                try {
                    outcomes.add("ok@" + answer.get(20, TimeUnit.SECONDS).u64(Tag.EPOCH));
                } catch (ExecutionException e) {
                    outcomes.add(((org.wardline.clients.messaging.MessagingException) e.getCause()).code()
                            + "@" + ((org.wardline.clients.messaging.MessagingException) e.getCause()).epoch());
                }
            }
            assertThat(outcomes).containsExactlyInAnyOrder("ok@2", ErrorCode.EPOCH_CONFLICT.code() + "@2");
            assertThat(count("SELECT epoch FROM conversations WHERE group_id = $1", io.vertx.core.buffer.Buffer.buffer(a.groupId())))
                    .isEqualTo(2);

            boolean aliceWon = !aliceAnswer.isCompletedExceptionally();
            RawDevice loser = aliceWon ? bob : alice;
            ConversationGroup winnerGroup = aliceWon ? a : b;
            ConversationGroup loserGroup = aliceWon ? b : a;
            winnerGroup.accept(aliceWon ? fromAlice : fromBob);
            Frame winning = loser.nextDelivery();
            assertThat(DeliveryKind.forCode(winning.u64(Tag.KIND))).isEqualTo(DeliveryKind.COMMIT);
            assertThat(loserGroup.apply(winning.bytes(Tag.PAYLOAD))).isTrue();
            loser.ack(winning);
            assertThat(loserGroup.epochAuthenticator()).isEqualTo(winnerGroup.epochAuthenticator());

            ConversationGroup.PendingCommit retry = loserGroup.commitAdd(List.of());
            assertThat(loser.ok(commitFrame(loserGroup, retry)).u64(Tag.EPOCH)).isEqualTo(3);
            loserGroup.accept(retry);
            RawDevice winner = aliceWon ? alice : bob;
            Frame second = winner.nextDelivery();
            assertThat(winnerGroup.apply(second.bytes(Tag.PAYLOAD))).isTrue();
            assertThat(winnerGroup.epochAuthenticator()).isEqualTo(loserGroup.epochAuthenticator());
        }
    }

    @Test
    void malformedWrongEpochReplayedAndMisaddressedMlsMessagesAreRefusedAndNothingIsStored() throws Exception {
        try (RawDevice alice = device().hello(); RawDevice bob = device().hello()) {
            Setup s = conversation(alice, bob);
            ConversationGroup a = s.alice();
            long before = count("SELECT count(*) FROM conversation_messages");
            byte[] good = a.protect("hello".getBytes());
            byte[] garbage = good.clone();
            garbage[6] = (byte) 0xFF;
            assertThat(alice.error(send(a, java.util.Arrays.copyOf(good, 20)))).isEqualTo(ErrorCode.MLS_INVALID.code());
            assertThat(alice.error(send(a, garbage))).isEqualTo(ErrorCode.MLS_INVALID.code());
            assertThat(alice.error(Frame.of(FrameType.SEND, 0).with(Tag.GROUP_ID, a.groupId()).with(Tag.EPOCH, 0)
                    .with(Tag.PAYLOAD, good))).as("frame epoch differs from the MLS epoch").isEqualTo(ErrorCode.MLS_INVALID.code());
            assertThat(alice.error(Frame.of(FrameType.SEND, 0).with(Tag.GROUP_ID, "other".getBytes()).with(Tag.EPOCH, 1)
                    .with(Tag.PAYLOAD, good))).isEqualTo(ErrorCode.MLS_INVALID.code());
            assertThat(bob.error(send(a, good))).as("AAD names alice, sent by bob").isEqualTo(ErrorCode.MLS_INVALID.code());
            assertThat(count("SELECT count(*) FROM conversation_messages")).isEqualTo(before);

            Frame goodFrame = send(a, good);
            assertThat(alice.ok(goodFrame).has(Tag.MESSAGE_ID)).isTrue();
            assertThat(alice.error(send(a, good))).isEqualTo(ErrorCode.REPLAY.code());
            assertThat(count("SELECT count(*) FROM conversation_messages")).isEqualTo(before + 1);

            ConversationGroup b = s.others().get(0);
            ConversationGroup.PendingCommit update = a.commitAdd(List.of());
            alice.ok(commitFrame(a, update));
            a.accept(update);
            byte[] stale = b.protect("stale".getBytes());
            Frame staleFrame = send(b, stale);
            String code;
            try {
                bob.connection.request(staleFrame).get(10, TimeUnit.SECONDS);
                code = "ok";
            } catch (ExecutionException e) {
                code = ((org.wardline.clients.messaging.MessagingException) e.getCause()).code();
            }
            assertThat(code).isEqualTo(ErrorCode.WRONG_EPOCH.code());
            assertThat(alice.error(goodFrame))
                    .as("a stored message sent again after the epoch moved on (a client's retry after a crash) is a replay")
                    .isEqualTo(ErrorCode.REPLAY.code());
            assertThat(count("""
                    SELECT count(*) FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
                     WHERE c.group_id = $1 AND m.kind = 4""", io.vertx.core.buffer.Buffer.buffer(a.groupId())))
                    .as("only the one good message").isEqualTo(1);
        }
    }

    @Test
    void aRemovedMemberLearnsOfItAndCanNeitherCommitNorSend() throws Exception {
        try (RawDevice alice = device().hello(); RawDevice bob = device().hello(); RawDevice carol = device().hello()) {
            Setup s = conversation(alice, bob, carol);
            ConversationGroup a = s.alice();
            ConversationGroup c = s.others().get(1);
            ConversationGroup.PendingCommit remove = a.commitRemove(List.of(carol.uri()));
            alice.ok(commitFrame(a, remove));
            a.accept(remove);
            Frame removal = carol.nextDelivery();
            assertThat(removal.allText(Tag.REMOVED)).containsExactly(carol.uri().toString());
            long before = count("SELECT count(*) FROM conversation_messages");
            ConversationGroup.PendingCommit sneaky = c.commitAdd(List.of());
            Frame commitAtCurrentEpoch = Frame.of(FrameType.COMMIT, 0).with(Tag.GROUP_ID, c.groupId()).with(Tag.EPOCH, 1)
                    .with(Tag.PAYLOAD, sneaky.commit());
            assertThat(carol.error(commitAtCurrentEpoch)).isEqualTo(ErrorCode.NOT_A_MEMBER.code());
            assertThat(carol.error(send(c, c.protect("still here?".getBytes())))).isEqualTo(ErrorCode.NOT_A_MEMBER.code());
            assertThat(count("SELECT count(*) FROM conversation_messages")).isEqualTo(before);

            byte[] after = a.protect("after removal".getBytes());
            alice.ok(send(a, after));
            assertThat(count("SELECT count(*) FROM device_inbox WHERE device_id = $1 AND seq > $2",
                    carol.uri().device(), removal.u64(Tag.SEQ))).as("nothing for carol after her removal").isZero();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.unprotect(after))
                    .isInstanceOf(org.wardline.protocol.mls.InvalidMlsMessageException.class);
        }
    }

    @Test
    void aFloodIsRateLimitedAndOnlyAcceptedFramesAreStored() throws Exception {
        try (RawDevice alice = device().hello(); RawDevice bob = device().hello()) {
            Setup s = conversation(alice, bob);
            long before = count("SELECT count(*) FROM conversation_messages WHERE kind = 4");
            List<Frame> flood = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                flood.add(send(s.alice(), s.alice().protect(("flood " + i).getBytes())));
            }
            List<CompletableFuture<Frame>> answers = new ArrayList<>();
            flood.forEach(f -> answers.add(alice.connection.request(f)));
            int ok = 0;
            int limited = 0;
            for (CompletableFuture<Frame> f : answers) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                    ok++;
                } catch (ExecutionException e) {
                    assertThat(((org.wardline.clients.messaging.MessagingException) e.getCause()).code())
                            .isEqualTo(ErrorCode.RATE_LIMITED.code());
                    limited++;
                }
            }
            assertThat(limited).isPositive();
            assertThat(ok).isGreaterThanOrEqualTo(50);
            assertThat(count("SELECT count(*) FROM conversation_messages WHERE kind = 4")).isEqualTo(before + ok);
            Thread.sleep(1100); // let the token bucket refill: the limit is per second by definition
            assertThat(alice.ok(send(s.alice(), s.alice().protect("after the flood".getBytes()))).type()).isEqualTo(FrameType.OK);
        }
    }

    @Test
    void anEntryWhosePublishMissedANewConnectionIsStillPushedInSeqOrder() throws Exception {
        try (RawDevice alice = device().hello(); RawDevice bob = device().hello()) {
            Setup s = conversation(alice, bob);
            bob.close();
            String bobAddress = DeliveryService.address(bob.uri().device());
            java.util.concurrent.atomic.AtomicBoolean dropped = new java.util.concurrent.atomic.AtomicBoolean();
            // A node whose view of bob's new consumer is not yet updated routes the first publish nowhere.
            io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>> missFirst = ctx -> {
                if (ctx.message().address().equals(bobAddress) && dropped.compareAndSet(false, true)) {
                    return;
                }
                ctx.next();
            };
            try (RawDevice bobAgain = new RawDevice(bob.credentials).connect()) {
                bobAgain.hello();
                WARDLINE.server().vertx().eventBus().addOutboundInterceptor(missFirst);
                try {
                    for (int i = 0; i < 3; i++) {
                        alice.ok(send(s.alice(), s.alice().protect(("m" + i).getBytes())));
                    }
                } finally {
                    WARDLINE.server().vertx().eventBus().removeOutboundInterceptor(missFirst);
                }
                assertThat(dropped).isTrue();
                ConversationGroup b = s.others().get(0);
                List<String> got = new ArrayList<>();
                long lastSeq = 0;
                for (int i = 0; i < 3; i++) {
                    Frame d = bobAgain.nextDelivery();
                    assertThat(d.u64(Tag.SEQ)).as("SEQ order").isGreaterThan(lastSeq);
                    lastSeq = d.u64(Tag.SEQ);
                    got.add(new String(b.unprotect(d.bytes(Tag.PAYLOAD)).plaintext()));
                    bobAgain.ack(d);
                }
                assertThat(got).containsExactly("m0", "m1", "m2");
                Thread.sleep(DeviceSession.CATCH_UP_MILLIS + 500);
                assertThat(bobAgain.deliveries).as("nothing pushed twice by the catch-up").isEmpty();
            }
        }
    }

    @Test
    void theInboxIsDurableBeforeTheAckAndEmptiesAsTheRecipientAcks() throws Exception {
        try (RawDevice alice = device().hello(); RawDevice bob = device().hello()) {
            Setup s = conversation(alice, bob);
            bob.close();
            for (int i = 0; i < 3; i++) {
                alice.ok(send(s.alice(), s.alice().protect(("m" + i).getBytes())));
            }
            assertThat(count("SELECT count(*) FROM device_inbox WHERE device_id = $1", bob.uri().device()))
                    .as("stored before alice's OKs").isEqualTo(3);
            try (RawDevice bobAgain = new RawDevice(bob.credentials).connect()) {
                bobAgain.hello();
                ConversationGroup b = s.others().get(0);
                List<String> got = new ArrayList<>();
                long lastSeq = 0;
                for (int i = 0; i < 3; i++) {
                    Frame d = bobAgain.nextDelivery();
                    assertThat(d.u64(Tag.SEQ)).isGreaterThan(lastSeq);
                    lastSeq = d.u64(Tag.SEQ);
                    got.add(new String(b.unprotect(d.bytes(Tag.PAYLOAD)).plaintext()));
                    bobAgain.ack(d);
                }
                assertThat(got).containsExactly("m0", "m1", "m2");
                assertThat(count("SELECT count(*) FROM device_inbox WHERE device_id = $1", bob.uri().device())).isZero();
            }
        }
    }

    @Test
    void theMembershipPolicyGuardsClaimsAndAdds() throws Exception {
        MembershipPolicy deny = new MembershipPolicy() {
            @Override
            public Future<Boolean> mayAdd(DeviceUri actor, UUID memberUser) {
                return Future.succeededFuture(false);
            }

            @Override
            public String name() {
                return "deny";
            }
        };
        var pool = WARDLINE.server().database().pool();
        DeliveryService strict = new DeliveryService(WARDLINE.server().vertx(), new ConversationStore(pool),
                new KeyPackageStore(pool), deny, DeliverySettings.defaults());
        try (RawDevice bob = device().hello()) {
            bob.uploadKeyPackages(1);
            DeviceUri alice = DeviceUri.of(UUID.randomUUID(), UUID.randomUUID());
            Throwable refused = strict.handle(alice, Frame.of(FrameType.CLAIM_KEY_PACKAGES, 1).with(Tag.USER, bob.uri().userUri()))
                    .toCompletionStage().toCompletableFuture().handle((f, e) -> e).get(10, TimeUnit.SECONDS);
            assertThat(refused).isInstanceOf(DeliveryException.class);
            assertThat(((DeliveryException) refused).code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(count("SELECT count(*) FROM mls_key_packages WHERE device_id = $1", bob.uri().device())).isEqualTo(1);
        }
    }
}
