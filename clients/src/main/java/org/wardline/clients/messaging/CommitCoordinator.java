package org.wardline.clients.messaging;

import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.Roster;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * This device's commits, coordinated with the other members': a commit is built at the group's current epoch and
 * sent; when another member's commit won that epoch, it is built again once the group has processed the winner.
 * Requests that must be at the group's epoch (commits, sends) are retried with the same bounded back-off
 * ({@link #retryOn}). Builders, the client's methods and every future's continuation here run on the client's
 * actor thread; the public-facing methods may be called on any thread.
 */
final class CommitCoordinator {
    /** Attempts at one request before an epoch error is handed to the caller. */
    static final int ATTEMPTS = 60;
    /** A conditional commit found nothing left to do: another member's commit did it. */
    static final String ALREADY_DONE = "conversation.already_done";

    /** Builds one commit from the group's current state; called again after each lost epoch. */
    @FunctionalInterface
    interface Builder {
        ConversationGroup.PendingCommit build(ConversationGroup group) throws Exception;
    }

    /** What committing needs of the client. Called on the actor thread. */
    interface Client {
        /** This device's group of the conversation; {@code conversation.unknown} when it holds none. */
        ConversationGroup group(ConversationId id);

        /** Sends a request on the current connection and waits for the server's answer. */
        Frame await(Frame request) throws Exception;

        /** The group accepted its own commit: makes the new state durable (a failure propagates) and tells the listener. */
        void committed(ConversationId id, ConversationGroup group);
    }

    private final DeviceUri self;
    private final ScheduledExecutorService actor;
    private final Client client;

    CommitCoordinator(DeviceUri self, ScheduledExecutorService actor, Client client) {
        this.self = self;
        this.actor = actor;
        this.client = client;
    }

    /** Builds and sends a commit, again after each epoch conflict; completes with the epoch the server names. */
    CompletableFuture<Long> commit(ConversationId id, Builder builder) {
        return attempt(id, builder, 1, 0);
    }

    /**
     * On an epoch conflict, waits until the winning commit (already queued or about to arrive) has been processed,
     * that is until the group reaches the epoch the server named, then builds the commit again. (A bcmls group must
     * not build two commits in one epoch: it caches the first one's proposals.)
     */
    private CompletableFuture<Long> attempt(ConversationId id, Builder builder, int attempt, long minEpoch) {
        CompletableFuture<Long> done = MessagingClient.onActor(actor, () -> {
            ConversationGroup group = client.group(id);
            if (group.epoch() < minEpoch) {
                throw new MessagingException(ErrorCode.EPOCH_CONFLICT.code(), minEpoch);
            }
            ConversationGroup.PendingCommit pending = builder.build(group);
            Frame commit = Frame.of(FrameType.COMMIT, 0).with(Tag.GROUP_ID, group.groupId())
                    .with(Tag.EPOCH, pending.fromEpoch()).with(Tag.PAYLOAD, pending.commit())
                    .withEach(Tag.ADDED, pending.added().stream().map(DeviceUri::toString).toList())
                    .withEach(Tag.REMOVED, pending.removed().stream().map(DeviceUri::toString).toList())
                    .withEach(Tag.ROSTER, Roster.encode(pending.roster()));
            if (pending.welcome() != null) {
                commit = commit.with(Tag.WELCOME, pending.welcome());
            }
            Frame ok = client.await(commit);
            group.accept(pending);
            client.committed(id, group);
            return ok.u64(Tag.EPOCH);
        });
        return retryOn(done, ErrorCode.EPOCH_CONFLICT, attempt,
                e -> attempt(id, builder, attempt + 1, e.epoch() == null ? minEpoch : e.epoch()));
    }

    /**
     * Adds {@code member} (claiming one of its key packages) unless it is a member already, also when another
     * member's commit wins meanwhile. Completes true when this device committed the Add.
     */
    CompletableFuture<Boolean> addIfAbsent(ConversationId id, DeviceUri member) {
        return MessagingClient.onActor(actor, () -> client.group(id).members().containsValue(member) ? null
                        : client.await(Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.DEVICE, member.toString()))
                        .bytes(Tag.KEY_PACKAGE))
                .thenCompose(kp -> kp == null ? CompletableFuture.completedFuture(false)
                        : unlessDone(commit(id, g -> {
                            if (g.members().containsValue(member)) {
                                throw new MessagingException(ALREADY_DONE, null);
                            }
                            ConversationGroup.PendingCommit add = g.commitAdd(List.of(kp));
                            if (!add.added().equals(List.of(member))) {
                                // The server answered the claim with another device's key package.
                                throw new MessagingException(ErrorCode.MLS_INVALID.code(), null);
                            }
                            return add;
                        })));
    }

    /**
     * Removes those of {@code devices} that are still members (never this device), also when another member's
     * commit wins meanwhile. Completes true when this device committed the Remove.
     */
    CompletableFuture<Boolean> removeIfPresent(ConversationId id, List<DeviceUri> devices) {
        return unlessDone(commit(id, g -> {
            Map<Integer, DeviceUri> now = g.members();
            List<DeviceUri> left = devices.stream().filter(d -> !d.equals(self) && now.containsValue(d)).toList();
            if (left.isEmpty()) {
                throw new MessagingException(ALREADY_DONE, null);
            }
            return g.commitRemove(left);
        }));
    }

    private static CompletableFuture<Boolean> unlessDone(CompletableFuture<Long> commit) {
        return commit.handle((epoch, e) -> e == null ? CompletableFuture.completedFuture(true)
                        : MessagingClient.unwrap(e) instanceof MessagingException m && ALREADY_DONE.equals(m.code())
                        ? CompletableFuture.completedFuture(false)
                        : CompletableFuture.<Boolean>failedFuture(MessagingClient.unwrap(e)))
                .thenCompose(f -> f);
    }

    /**
     * {@code first}, or, when it failed with {@code code} and fewer than {@link #ATTEMPTS} attempts were made, what
     * {@code again} gives after a short back-off on the actor (20 ms per attempt, at most 200 ms).
     */
    <T> CompletableFuture<T> retryOn(CompletableFuture<T> first, ErrorCode code, int attempt,
                                     Function<MessagingException, CompletableFuture<T>> again) {
        return first.handle((v, e) -> {
            Throwable cause = MessagingClient.unwrap(e);
            if (cause instanceof MessagingException m && m.code().equals(code.code()) && attempt < ATTEMPTS) {
                CompletableFuture<T> retry = new CompletableFuture<>();
                actor.schedule(() -> again.apply(m).whenComplete((r, err) -> {
                    if (err != null) {
                        retry.completeExceptionally(MessagingClient.unwrap(err));
                    } else {
                        retry.complete(r);
                    }
                }), Math.min(200L, 20L * attempt), TimeUnit.MILLISECONDS);
                return retry;
            }
            return e == null ? CompletableFuture.completedFuture(v) : CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(f -> f);
    }
}
