package org.wardline.clients.messaging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceMlsIdentity;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.KeyPackageBundle;
import org.wardline.protocol.mls.MlsSuites;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * bob's commits in a real bcmls group with alice, against a server double that decodes every request with the real
 * codec and holds the conversation's epoch: a commit from an epoch the server has left is refused with the epoch
 * it is at, as the delivery service does.
 */
class CommitCoordinatorTest {
    private static final String ACTOR = "bob-actor";

    private final ScheduledExecutorService actor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, ACTOR));
    private final DeviceMlsIdentity alice = identity();
    private final DeviceMlsIdentity bob = identity();
    private final DeviceMlsIdentity carol = identity();
    private final DeviceMlsIdentity dave = identity();
    private final List<Frame> requests = new CopyOnWriteArrayList<>();
    private final List<String> committed = new CopyOnWriteArrayList<>();
    private ConversationGroup a;
    private ConversationGroup b;
    private ConversationId id;
    /** The epoch the server holds the conversation at. */
    private volatile long serverEpoch;
    private volatile byte[] claimAnswer;
    private volatile String refuseCommitWith;
    private CommitCoordinator commits;

    private static DeviceMlsIdentity identity() {
        return DeviceMlsIdentity.generate(DeviceUri.of(UUID.randomUUID(), UUID.randomUUID()), MlsSuites.DEFAULT_ID);
    }

    @BeforeEach
    void aliceAndBob() throws Exception {
        KeyPackageBundle bobKp = bob.newKeyPackage();
        a = ConversationGroup.create(alice, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        ConversationGroup.PendingCommit add = a.commitAdd(List.of(bobKp.encoded()));
        a.accept(add);
        b = ConversationGroup.join(bob, bobKp, add.welcome());
        id = ConversationId.of(b.groupId());
        serverEpoch = b.epoch();
        commits = new CommitCoordinator(bob.device(), actor, new CommitCoordinator.Client() {
            @Override
            public ConversationGroup group(ConversationId conversation) {
                if (!conversation.equals(id)) {
                    throw new MessagingException("conversation.unknown", null);
                }
                return b;
            }

            @Override
            public Frame await(Frame request) throws Exception {
                return server(FrameCodec.decode(FrameCodec.encode(request)));
            }

            @Override
            public void committed(ConversationId conversation, ConversationGroup group) {
                committed.add(group.epoch() + " on " + Thread.currentThread().getName());
            }
        });
    }

    @AfterEach
    void close() {
        actor.shutdownNow();
    }

    private Frame server(Frame request) throws Exception {
        requests.add(request);
        if (request.type() == FrameType.CLAIM_KEY_PACKAGES) {
            return Frame.of(FrameType.KEY_PACKAGES, request.requestId()).with(Tag.DEVICE, request.text(Tag.DEVICE))
                    .with(Tag.KEY_PACKAGE, claimAnswer);
        }
        if (refuseCommitWith != null) {
            throw new MessagingException(refuseCommitWith, null);
        }
        if (request.u64(Tag.EPOCH) != serverEpoch) {
            throw new MessagingException(ErrorCode.EPOCH_CONFLICT.code(), serverEpoch);
        }
        serverEpoch++;
        return Frame.of(FrameType.OK, request.requestId()).with(Tag.EPOCH, serverEpoch);
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCommitThatLostItsEpochIsBuiltAgainOnlyOnceTheWinningCommitIsProcessed() throws Exception {
        ConversationGroup.PendingCommit alicesAdd = a.commitAdd(List.of(carol.newKeyPackage().encoded()));
        a.accept(alicesAdd);
        serverEpoch++; // alice's commit won the epoch; bob has not received it yet
        byte[] daveKp = dave.newKeyPackage().encoded();
        AtomicInteger builds = new AtomicInteger();

        CompletableFuture<Long> bobsAdd = commits.commit(id, g -> {
            builds.incrementAndGet();
            return g.commitAdd(List.of(daveKp));
        });
        // The winner arrives after several retries (20, 40, 60 ms …), none of which may build at the old epoch.
        actor.schedule(() -> b.apply(alicesAdd.commit()), 150, TimeUnit.MILLISECONDS);

        assertThat(await(bobsAdd)).isEqualTo(3);
        assertThat(builds).as("once at the lost epoch, once after the winner").hasValue(2);
        assertThat(requests).extracting(f -> f.u64(Tag.EPOCH)).containsExactly(1L, 2L);
        Frame sent = requests.get(1);
        assertThat(sent.allText(Tag.ADDED)).containsExactly(dave.device().toString());
        assertThat(sent.has(Tag.WELCOME)).isTrue();
        assertThat(b.epoch()).isEqualTo(3);
        assertThat(committed).containsExactly("3 on " + ACTOR);

        assertThat(a.apply(sent.bytes(Tag.PAYLOAD))).isTrue();
        assertThat(a.epochAuthenticator()).isEqualTo(b.epochAuthenticator());
        assertThat(a.members().values()).contains(dave.device());
    }

    @Test
    void conditionalCommitsSendNothingWhenThereIsNothingLeftToDo() throws Exception {
        assertThat(await(commits.addIfAbsent(id, alice.device()))).as("a member already").isFalse();
        assertThat(await(commits.removeIfPresent(id, List.of(bob.device(), carol.device()))))
                .as("never itself; carol is no member").isFalse();
        assertThat(requests).isEmpty();
        assertThat(b.epoch()).isEqualTo(1);
    }

    @Test
    void anAddIsRefusedWhenTheServerAnswersTheClaimWithAnotherDevicesKeyPackage() throws Exception {
        claimAnswer = carol.newKeyPackage().encoded();
        assertThatThrownBy(() -> await(commits.addIfAbsent(id, dave.device()))).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(MessagingException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MLS_INVALID.code()));
        assertThat(requests).extracting(Frame::type).containsExactly(FrameType.CLAIM_KEY_PACKAGES);

        claimAnswer = dave.newKeyPackage().encoded();
        assertThat(await(commits.addIfAbsent(id, dave.device()))).isTrue();
        assertThat(b.members().values()).contains(dave.device());
        assertThat(committed).hasSize(1);
    }

    @Test
    void aRefusalOtherThanAnEpochConflictIsNotRetriedAndChangesNothing() throws Exception {
        refuseCommitWith = ErrorCode.FORBIDDEN.code();
        byte[] daveKp = dave.newKeyPackage().encoded();
        assertThatThrownBy(() -> await(commits.commit(id, g -> g.commitAdd(List.of(daveKp)))))
                .cause().isInstanceOfSatisfying(MessagingException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN.code()));
        assertThat(requests).hasSize(1);
        assertThat(committed).isEmpty();
        assertThat(b.epoch()).isEqualTo(1);
    }
}
