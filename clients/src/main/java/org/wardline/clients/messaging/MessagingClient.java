package org.wardline.clients.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.clients.sdk.ConversationFiles;
import org.wardline.clients.sdk.Files;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceMlsIdentity;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.ExternalSenderKey;
import org.wardline.protocol.mls.InvalidMlsMessageException;
import org.wardline.protocol.mls.KeyPackageBundle;
import org.wardline.protocol.mls.MlsSuites;
import org.wardline.protocol.mls.SingletonGroupException;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.protocol.wire.WireException;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Wardline messaging SDK: one enrolled device's end-to-end encrypted conversations.
 *
 * <pre>{@code
 * DeviceCredentials creds = DeviceCredentials.fromPkcs12(p12, passphrase, root, URI.create("https://host:8443"));
 * try (MessagingClient client = MessagingClient.start(creds, LocalVault.open(dir, passphrase), listener)) {
 *     client.connected().get();
 *     ConversationId c = client.createConversation().get();
 *     client.invite(c, List.of("urn:wardline:user:<uuid>")).get();
 *     client.send(c, "BP 120/80".getBytes(UTF_8)).get();
 * }
 * }</pre>
 *
 * <p>All MLS work runs on one thread per client, in delivery order; API calls return futures completed there.
 * The connection reconnects by itself with exponential back-off (200 ms doubling to 10 s, with jitter), and
 * every delivery is acknowledged only after it has been processed and recorded in the local vault (the
 * acknowledgements of deliveries processed together share one ACK frame). WebSocket pings keep an idle
 * connection open and detect a dead one, which is then dropped and reconnected ({@link Keepalive}). Requests the
 * server refuses as rate-limited (never processed) are sent again after a jittered back-off ({@link RateLimitRetry}).
 *
 * <p>Every group's whole MLS state, the device's MLS identity and its published key packages' private keys are
 * durable in the vault ({@link DeviceState}, docs/adr/0021-durable-mls-state.md): saved atomically after every
 * change and before anything that change produced leaves the device (a ciphertext, a key package) or is
 * acknowledged (a delivery). A restarted device therefore reads everything sent while it was down. A delivery
 * that fails to be processed or recorded is not acknowledged: the state goes back to the last durable one and the
 * connection is dropped, so the server delivers it again, in order. A message that cannot be decrypted or placed
 * is kept in the vault undecrypted, with its reason ({@link MessageListener#onUndecryptable}), then acknowledged.
 * Only when the saved state is gone or refused (altered, rolled back, another device's) does the device ask
 * another member of each conversation to commit it back in ({@link MessageListener#onStateLost} names them).
 */
public final class MessagingClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MessagingClient.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int COMMIT_ATTEMPTS = CommitCoordinator.ATTEMPTS;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeviceCredentials credentials;
    private final DeviceListeners listeners;
    private final LocalVault vault;
    private final MessageListener listener;
    private final DeviceMlsIdentity identity;
    /** Null once the vault is destroyed at start. */
    private final DeviceState state;
    private final String stateLost;
    /** The messages sent and received, each recorded once however often it is delivered. */
    private final MessageHistory history;
    private final ScheduledExecutorService actor;
    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    private final ConversationFiles files;
    private final Map<ConversationId, ConversationGroup> groups = new HashMap<>();
    /** This device's published key packages and their private halves. */
    private final KeyPackageSupply keyPackages;
    private final boolean deliveryReceipts;
    private final AckBatcher acks;
    /** The deliveries the server pushes, processed in order and acknowledged once durable. */
    private final InboundDeliveries inbound;
    private boolean rejoinRequested;
    /** The connection to the device listeners, its reconnects and refusals. */
    private final ConnectionSupervisor connection;
    /** Messages sent while not connected: durable, sent once, in order, when the connection returns. */
    private final Outbox outbox;
    /** Why a saved outbox could not be used (null when it could), told to the listener once connected. */
    private String outboxLost;
    /** The futures of the outbox entries queued since start (entries restored from disk have none). */
    private final Map<java.util.UUID, CompletableFuture<Long>> queued = new HashMap<>();
    private boolean sendingQueued;
    /** Receipts, sent now or kept durably and sent later rather than dropped. */
    private final ReceiptSender receipts;
    private int queuedEpochRetries;
    private volatile java.nio.file.Path identityDirectory;
    private final CompletableFuture<Void> wiped = new CompletableFuture<>();
    private final LegalHoldMembership legalHold;
    /** Wiped devices taken out of conversations, and the server's pinned external-sender key. */
    private final WipedDeviceRemovals removals;
    /** This device's history sent to, or received from, another device of its user. */
    private final HistoryTransfer historyTransfer;
    /** This device's commits, built again when another member's commit wins the epoch. */
    private final CommitCoordinator commits;

    private MessagingClient(DeviceCredentials credentials, List<URI> deviceListeners, LocalVault vault,
                            MessageListener listener, short suite, boolean deliveryReceipts, Keepalive keepalive) {
        this.credentials = credentials;
        this.listeners = new DeviceListeners(deviceListeners);
        this.vault = vault;
        this.listener = listener;
        DeviceState.Loaded[] found = new DeviceState.Loaded[1];
        this.state = vault.isDestroyed() ? null : DeviceState.open(vault, keepEpochs(), credentials.device(), l -> found[0] = l);
        DeviceState.Snapshot saved = found[0] == null ? null : found[0].snapshot();
        if (saved != null) {
            this.identity = saved.identity();
            groups.putAll(saved.groups());
        } else {
            this.identity = DeviceMlsIdentity.generate(credentials.device(), suite);
        }
        this.keyPackages = new KeyPackageSupply(identity, saved != null);
        if (saved != null) {
            keyPackages.restore(saved.bundles(), saved.lastResort());
        }
        this.history = new MessageHistory(vault);
        this.outbox = openOutbox(vault);
        PendingReceipts keptReceipts = openReceipts(vault);
        this.stateLost = found[0] == null ? null : found[0].lost();
        this.deliveryReceipts = deliveryReceipts;
        this.files = new ConversationFiles(credentials.sslContext(), listeners::current, credentials.bearer());
        this.removals = new WipedDeviceRemovals(credentials.device(), vault, new WipedDeviceRemovals.Client() {
            @Override
            public ConversationGroup group(ConversationId id) {
                return groups.get(id);
            }

            @Override
            public void close(ConversationId id) {
                closeHere(id);
            }

            @Override
            public CompletableFuture<Long> commit(ConversationId id, CommitCoordinator.Builder builder) {
                return commits.commit(id, builder);
            }

            @Override
            public Optional<ExternalSenderKey> presentedServerKey() {
                return ExternalSenderPin.fetch(credentials.withDeviceListener(listeners.current()));
            }
        }, listener);
        this.legalHold = new LegalHoldMembership(this,
                org.wardline.clients.sdk.LegalHolds.api(credentials.sslContext(), listeners::current));
        java.util.concurrent.ScheduledThreadPoolExecutor pool = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "wardline-messaging-" + credentials.device().device());
            t.setDaemon(true);
            return t;
        });
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // on close: no reconnect, no retry
        this.actor = pool;
        this.acks = new AckBatcher(pool, new AckBatcher.Client() {
            @Override
            public boolean makeDurable() {
                return inbound.makeDurable();
            }

            @Override
            public void send(Frame ack) {
                request(ack);
            }
        });
        this.inbound = new InboundDeliveries(credentials.device(), groups, history, vault, acks, listener,
                new InboundDeliveries.Client() {
                    @Override
                    public void join(ConversationId id, byte[] welcome) throws Exception {
                        MessagingClient.this.join(id, welcome);
                    }

                    @Override
                    public void removed(ConversationId id) {
                        groups.remove(id);
                        forget(id);
                        listener.onRemoved(id);
                    }

                    @Override
                    public void remember(ConversationId id) {
                        MessagingClient.this.remember(id);
                    }

                    @Override
                    public void linkMessage(ConversationId link, DeviceUri sender, byte[] plaintext) throws Exception {
                        onLinkMessage(link, sender, plaintext);
                    }

                    @Override
                    public void received(ReceivedMessage message) {
                        expiringAt(message.expiresAt());
                        listener.onMessage(message);
                        if (deliveryReceipts) {
                            receipts.delivered(message);
                        }
                    }

                    @Override
                    public void removalRequested(ConversationId id, List<String> devices) throws Exception {
                        removals.requested(id, devices);
                    }

                    @Override
                    public void externalRemovalProposed(ConversationId id, ConversationGroup group, Frame proposal)
                            throws Exception {
                        removals.proposed(id, group, proposal);
                    }

                    @Override
                    public void legalHoldChanged() {
                        legalHold.check();
                    }

                    @Override
                    public void persist() {
                        MessagingClient.this.persist(); // once for the deliveries processed together
                    }

                    @Override
                    public void failed() {
                        reloadState();
                        dropConnection();
                    }
                });
        this.connection = new ConnectionSupervisor(listeners, pool, (uri, onClosed) -> FrameConnection.open(
                credentials.withDeviceListener(uri), frame -> pool.execute(() -> inbound.deliver(frame)), onClosed, keepalive),
                new ConnectionSupervisor.Client() {
                    @Override
                    public void opened() throws Exception {
                        inbound.resume();
                        learnServerKey();
                        topUpKeyPackages();
                    }

                    @Override
                    public void connected() {
                        MessagingClient.this.onConnected();
                    }

                    @Override
                    public void lost() {
                        listener.onConnection(false);
                    }

                    @Override
                    public void refused(MessagingException reason) {
                        queued.values().forEach(f -> f.completeExceptionally(reason));
                        queued.clear();
                        listener.onDeviceRevoked();
                    }

                    @Override
                    public void signedOut() {
                        listener.onSignedOut();
                    }

                    @Override
                    public boolean wipedOnRefusal() {
                        return wipeOnCommand();
                    }
                });
        this.commits = new CommitCoordinator(credentials.device(), pool, new CommitCoordinator.Client() {
            @Override
            public ConversationGroup group(ConversationId id) {
                return MessagingClient.this.group(id);
            }

            @Override
            public Frame await(Frame request) throws Exception {
                return MessagingClient.await(request(request));
            }

            @Override
            public void committed(ConversationId id, ConversationGroup group) {
                persist();
                remember(id);
                listener.onEpoch(id, group.epoch());
            }
        });
        this.historyTransfer = new HistoryTransfer(credentials.device(), history, pool, new HistoryTransfer.Client() {
            @Override
            public CompletableFuture<ConversationId> createLink() {
                return MessagingClient.this.createLink(DeviceLinks.HISTORY_TAG);
            }

            @Override
            public CompletableFuture<Long> invite(ConversationId link, DeviceUri device) {
                return MessagingClient.this.invite(link, List.of(device.toString()));
            }

            @Override
            public CompletableFuture<Long> send(ConversationId link, byte[] body) {
                return sendAttempt(link, body, 1, false);
            }

            @Override
            public void dropLink(ConversationId link) {
                groups.remove(link);
            }
        }, listener);
        this.receipts = new ReceiptSender(keptReceipts, pool, new ReceiptSender.Client() {
            @Override
            public CompletableFuture<Frame> request(Frame frame) {
                return MessagingClient.this.request(frame);
            }

            @Override
            public Frame await(Frame frame) throws Exception {
                return MessagingClient.await(MessagingClient.this.request(frame));
            }

            @Override
            public boolean isConnected() {
                return MessagingClient.this.isConnected();
            }

            @Override
            public boolean isClosing() {
                return connection.isClosing();
            }

            @Override
            public boolean vaultDestroyed() {
                return vault.isDestroyed();
            }
        }, listener);
    }

    /** The saved outbox; one that cannot be read is set aside (never sent) and the user told why once connected. */
    private Outbox openOutbox(LocalVault vault) {
        try {
            return Outbox.open(vault);
        } catch (IllegalStateException e) {
            try {
                java.nio.file.Files.move(vault.replaced(Outbox.KIND),
                        vault.replaced(Outbox.KIND).resolveSibling(Outbox.KIND + ".state.rejected"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (java.io.IOException io) {
                throw new java.io.UncheckedIOException(io);
            }
            outboxLost = "the messages waiting to be sent could not be read (altered or another vault's); they were not sent";
            return Outbox.open(vault);
        }
    }

    /** The saved receipts; ones that cannot be read are set aside (never sent) and the user told once connected. */
    private PendingReceipts openReceipts(LocalVault vault) {
        try {
            return PendingReceipts.open(vault);
        } catch (IllegalStateException e) {
            try {
                java.nio.file.Files.move(vault.replaced(PendingReceipts.KIND),
                        vault.replaced(PendingReceipts.KIND).resolveSibling(PendingReceipts.KIND + ".state.rejected"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (java.io.IOException io) {
                throw new java.io.UncheckedIOException(io);
            }
            outboxLost = (outboxLost == null ? "" : outboxLost + "; ")
                    + "the receipts waiting to be sent could not be read (altered or another vault's); they were not sent";
            return PendingReceipts.open(vault);
        }
    }

    /** How many earlier epochs' resumption secrets a saved group keeps (system property {@code wardline.mls.keepEpochs}). */
    static int keepEpochs() {
        return Math.max(0, Integer.getInteger("wardline.mls.keepEpochs", 8));
    }

    /** Starts a client with suite 0x0007 and delivery receipts on, and begins connecting. */
    public static MessagingClient start(DeviceCredentials credentials, LocalVault vault, MessageListener listener) {
        return start(credentials, vault, listener, MlsSuites.DEFAULT_ID, true);
    }

    public static MessagingClient start(DeviceCredentials credentials, LocalVault vault, MessageListener listener,
                                        short suite, boolean deliveryReceipts) {
        return start(credentials, List.of(credentials.deviceListener()), vault, listener, suite, deliveryReceipts);
    }

    /**
     * Starts a client that fails over between several device listeners (the nodes of a cluster): it connects to
     * the first, and after a failed attempt or a lost connection tries the next, with the same back-off. The
     * inbox lives in the server's database, so whichever node it reaches delivers everything still unacknowledged.
     */
    public static MessagingClient start(DeviceCredentials credentials, List<URI> deviceListeners, LocalVault vault,
                                        MessageListener listener, short suite, boolean deliveryReceipts) {
        return start(credentials, deviceListeners, vault, listener, suite, deliveryReceipts, Keepalive.DEFAULT);
    }

    /** As above, with these WebSocket pings ({@link Keepalive#DEFAULT} otherwise). */
    public static MessagingClient start(DeviceCredentials credentials, List<URI> deviceListeners, LocalVault vault,
                                        MessageListener listener, short suite, boolean deliveryReceipts, Keepalive keepalive) {
        MessagingClient c = new MessagingClient(credentials, deviceListeners, vault, listener, suite, deliveryReceipts, keepalive);
        c.actor.execute(c::expireHistory); // what came due while the client was not running goes first
        c.actor.execute(c.connection::connect);
        return c;
    }

    /** When the next history expiry is scheduled (ms since 1970), or 0. Actor thread only. */
    private long expiryScheduled;

    /** Deletes the messages whose time has come from the history, and schedules itself for the next one. */
    private void expireHistory() {
        try {
            expiringAt(history.expire(System.currentTimeMillis()));
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue("errorType", e.getClass().getSimpleName())
                    .log("disappearing messages could not be deleted from the history; trying again in a minute");
            actor.schedule(this::expireHistory, 1, TimeUnit.MINUTES);
        }
    }

    /** Makes sure the history is expired at {@code at} (ms since 1970; 0: nothing to do). Actor thread only. */
    private void expiringAt(long at) {
        if (at == 0 || (expiryScheduled != 0 && expiryScheduled <= at)) {
            return;
        }
        expiryScheduled = at;
        actor.schedule(() -> {
            expiryScheduled = 0;
            expireHistory();
        }, Math.max(0, at - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    }

    /** The device listener this client is connected or connecting to. */
    public URI deviceListener() {
        return listeners.current();
    }

    public DeviceUri device() {
        return credentials.device();
    }

    /** Completes when the current connection has said HELLO and uploaded key packages. */
    public CompletableFuture<Void> connected() {
        return connection.connected();
    }

    public boolean isConnected() {
        return connection.isConnected();
    }

    /** Goes offline: closes the connection and stops reconnecting until {@link #goOnline()}. */
    public void goOffline() {
        connection.goOffline();
    }

    /** Comes back online after {@link #goOffline()}; {@link #connected()} completes after HELLO. */
    public void goOnline() {
        connection.goOnline();
    }

    /** Requests the server refused as rate-limited and this client sent again, since it started. */
    public long rateLimitRetries() {
        return connection.rateLimitRetries();
    }

    /** Connections this client tried to open since it started (each reconnect counts). */
    public long connectionAttempts() {
        return connection.attempts();
    }

    /** Drops the connection as a network failure would; the client reconnects by itself. */
    public void dropConnection() {
        connection.dropConnection();
    }

    // ---- conversations --------------------------------------------------------------------------------------

    public CompletableFuture<ConversationId> createConversation() {
        return createConversation(Duration.ZERO);
    }

    /** Creates a conversation with this device as its only member; {@code ttl} > 0 makes messages disappear. */
    public CompletableFuture<ConversationId> createConversation(Duration ttl) {
        return onActor(() -> {
            byte[] groupId = new byte[16];
            RANDOM.nextBytes(groupId);
            ExternalSenderKey serverKey = removals.keyForNewConversation();
            ConversationGroup group = ConversationGroup.create(identity, groupId, serverKey);
            Frame create = Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, groupId);
            if (serverKey != null) {
                create = create.with(Tag.EXTERNAL_SENDER, serverKey.encoded());
            }
            await(request(ttl.isZero() ? create : create.with(Tag.TTL, ttl.toSeconds())));
            ConversationId id = ConversationId.of(groupId);
            groups.put(id, group);
            persist();
            remember(id);
            legalHold.check();
            return id;
        });
    }

    /** A link conversation with this device alone (see {@link DeviceLinks}); never listed. */
    private CompletableFuture<ConversationId> createLink(byte[] tag) {
        return onActor(() -> {
            byte[] groupId = DeviceLinks.newGroupId(tag);
            ConversationGroup group = ConversationGroup.create(identity, groupId);
            await(request(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, groupId)));
            ConversationId id = ConversationId.of(groupId);
            groups.put(id, group);
            persist();
            return id;
        });
    }

    /** The colleague with exactly this user name, from the server's directory; empty when there is no such active account. */
    public Optional<UserDirectory.Colleague> findColleague(String userName) {
        return UserDirectory.find(credentials.withDeviceListener(listeners.current()), userName);
    }

    /**
     * The display name of a user, from the server's directory: answered for this device's own user and for people
     * who share a conversation with it; empty otherwise. Blocks for one HTTPS request (callers keep the answer).
     */
    public Optional<String> displayName(java.util.UUID userId) {
        return UserDirectory.find(credentials.withDeviceListener(listeners.current()), userId)
                .map(UserDirectory.Colleague::displayName);
    }

    /** Adds every device of these users ({@code urn:wardline:user:…}) or these devices (device URIs). */
    public CompletableFuture<Long> invite(ConversationId id, List<String> usersOrDevices) {
        return onActor(() -> {
            Frame claim = Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0);
            for (String who : usersOrDevices) {
                claim = claim.with(DeviceUri.parse(who).isPresent() ? Tag.DEVICE : Tag.USER, who);
            }
            Frame packages = await(request(claim));
            List<byte[]> keyPackages = new ArrayList<>();
            List<String> devices = packages.allText(Tag.DEVICE);
            List<byte[]> kps = packages.all(Tag.KEY_PACKAGE);
            Set<DeviceUri> members = new HashSet<>(group(id).members().values());
            for (int i = 0; i < devices.size() && i < kps.size(); i++) {
                if (!members.contains(DeviceUri.parse(devices.get(i)).orElseThrow())) {
                    keyPackages.add(kps.get(i));
                }
            }
            return keyPackages;
        }).thenCompose(kps -> commits.commit(id, group -> group.commitAdd(kps))).thenApply(epoch -> {
            legalHold.check();
            return epoch;
        });
    }

    /** What {@link #remove} did. */
    public enum Removal { REMOVED, CONVERSATION_CLOSED }

    /**
     * Removes devices. If only this device would remain, the conversation is closed on this device instead
     * (bcmls 1.84 cannot commit a one-member tree, bc-java #2492); create a new one when someone returns.
     */
    public CompletableFuture<Removal> remove(ConversationId id, List<DeviceUri> devices) {
        return onActor(() -> {
            try {
                group(id).commitRemove(devices);
                return false;
            } catch (SingletonGroupException e) {
                groups.remove(id);
                persist();
                forget(id);
                return true;
            }
        }).thenCompose(closed -> closed ? CompletableFuture.completedFuture(Removal.CONVERSATION_CLOSED)
                : commits.commit(id, group -> group.commitRemove(devices)).thenApply(epoch -> Removal.REMOVED));
    }

    /**
     * Encrypts and sends; completes with the server's message ID once the server has stored it durably. While the
     * client is not connected (offline, signed out), the message waits ({@link #pending()}) and is sent once, in
     * order with the others waiting, when the connection returns.
     */
    public CompletableFuture<Long> send(ConversationId id, byte[] body) {
        return onActor(() -> {
            group(id);
            MessagingException refused = connection.refusal();
            if (refused != null) {
                throw refused;
            }
            if (!outbox.isEmpty() || !isConnected()) {
                Outbox.Entry e = outbox.add(id, body);
                CompletableFuture<Long> sent = new CompletableFuture<>();
                queued.put(e.localId(), sent);
                return sent;
            }
            return sendAttempt(id, body, 1, true);
        }).thenCompose(f -> f);
    }

    /** How many messages wait for the connection to return (those saved before a restart too). */
    public CompletableFuture<Integer> pending() {
        return onActor(outbox::size);
    }

    /**
     * Sends the first waiting message, then the next, on the actor: sealed first (its ciphertext durable in the
     * outbox), so every later attempt, after a restart too, sends that same ciphertext, which the server refuses as
     * a replay if it had already stored it.
     */
    private void sendQueued() {
        if (sendingQueued || connection.isClosing()) {
            return;
        }
        Outbox.Entry first = outbox.first().orElse(null);
        if (first == null || !isConnected()) {
            return;
        }
        sendingQueued = true;
        Outbox.Entry entry;
        try {
            entry = sealed(first);
        } catch (Exception e) {
            sendingQueued = false;
            finishQueued(first, null, 0, unwrap(e));
            sendQueued();
            return;
        }
        CrashPoints.reached(CrashPoints.QUEUED_SEALED);
        request(Frame.of(FrameType.SEND, 0).with(Tag.GROUP_ID, entry.conversation().groupId())
                .with(Tag.EPOCH, entry.epoch()).with(Tag.PAYLOAD, entry.ciphertext()))
                .whenComplete((f, e) -> actor.execute(() -> {
                    sendingQueued = false;
                    Throwable cause = e == null ? null : unwrap(e);
                    String code = cause instanceof MessagingException m ? m.code() : null;
                    if (MessagingException.CONNECTION_LOST.equals(code)) {
                        return; // still first in line; sent when the connection returns
                    }
                    if (ErrorCode.WRONG_EPOCH.code().equals(code) && ++queuedEpochRetries < COMMIT_ATTEMPTS) {
                        outbox.update(entry.unsealed()); // never stored: sealed again at the epoch this device reaches
                        actor.schedule(this::sendQueued, 100, TimeUnit.MILLISECONDS);
                        return;
                    }
                    queuedEpochRetries = 0;
                    if (cause == null) {
                        CrashPoints.reached(CrashPoints.QUEUED_STORED);
                    }
                    if (ErrorCode.REPLAY.code().equals(code)) {
                        finishQueued(entry, 0L, 0, null); // stored before a crash that came before its removal
                    } else if (cause != null) {
                        finishQueued(entry, null, 0, cause);
                    } else {
                        try {
                            finishQueued(entry, f.u64(Tag.MESSAGE_ID), f.u64(Tag.EXPIRES_AT, 0), null);
                        } catch (WireException malformed) {
                            finishQueued(entry, null, 0, malformed);
                        }
                    }
                    sendQueued();
                }));
    }

    /** The entry with its ciphertext, protected now (its generation made durable first) unless already sealed. */
    private Outbox.Entry sealed(Outbox.Entry entry) throws Exception {
        if (entry.sealed()) {
            return entry;
        }
        ConversationGroup group = group(entry.conversation());
        long epoch = group.epoch();
        byte[] ciphertext = group.protect(entry.body());
        persist(); // the sending generation is durable before the ciphertext is: never one key twice
        Outbox.Entry sealed = entry.seal(epoch, ciphertext);
        outbox.update(sealed);
        return sealed;
    }

    /** Records a sent entry in the history (once) and removes it, or removes a refused one; tells whoever waits. */
    private void finishQueued(Outbox.Entry entry, Long messageId, long expiresAt, Throwable failure) {
        if (failure == null) {
            ReceivedMessage m = new ReceivedMessage(entry.conversation(), device(), messageId, System.currentTimeMillis(),
                    entry.body(), expiresAt);
            if (messageId != 0 || !history.holdsSent(entry, device())) {
                history.recordSent(m);
                history.sync();
                expiringAt(expiresAt);
            }
        }
        outbox.remove(entry);
        CompletableFuture<Long> waiting = queued.remove(entry.localId());
        if (waiting != null) {
            if (failure == null) {
                waiting.complete(messageId);
            } else {
                waiting.completeExceptionally(failure);
            }
        } else if (failure == null) {
            listener.onPendingSent(entry.conversation(), messageId);
        } else {
            listener.onPendingFailed(entry.conversation(), failure instanceof MessagingException me ? me.code()
                    : failure.getClass().getSimpleName());
        }
    }

    private CompletableFuture<Long> sendAttempt(ConversationId id, byte[] body, int attempt, boolean keep) {
        CompletableFuture<Long> sent = onActor(() -> {
            ConversationGroup group = group(id);
            byte[] ciphertext = group.protect(body);
            persist(); // the sending generation is durable before the ciphertext leaves: never one key twice
            Frame f = await(request(Frame.of(FrameType.SEND, 0).with(Tag.GROUP_ID, group.groupId())
                    .with(Tag.EPOCH, group.epoch()).with(Tag.PAYLOAD, ciphertext)));
            long messageId = f.u64(Tag.MESSAGE_ID);
            if (keep) {
                long expiresAt = f.u64(Tag.EXPIRES_AT, 0);
                history.recordSent(new ReceivedMessage(id, device(), messageId, System.currentTimeMillis(), body, expiresAt));
                expiringAt(expiresAt);
            }
            return messageId;
        });
        return commits.retryOn(sent, ErrorCode.WRONG_EPOCH, attempt, e -> sendAttempt(id, body, attempt + 1, keep));
    }

    /**
     * Uploads a file (scanned by the server), shares it into the conversation and announces it there: the
     * announcement ({@link Attachment}: ID, name, size, SHA-256) is an end-to-end encrypted application message.
     * Completes once the announcement is stored. Fails with the server's code when the upload is refused, or
     * {@code attachment.not_ready} when the file is held for review.
     */
    public CompletableFuture<Attachment> sendFile(ConversationId id, Path file) {
        return CompletableFuture.supplyAsync(() -> {
            Files.StoredFile stored = files.upload(file);
            try {
                files.share(id.groupId(), stored.id());
            } catch (RuntimeException refused) {
                try {
                    files.withdraw(stored.id()); // a file nobody was given is not kept
                } catch (RuntimeException notWithdrawn) {
                    refused.addSuppressed(notWithdrawn); // the abandoned-upload sweep still takes it
                }
                throw refused;
            }
            Path name = file.getFileName();
            return new Attachment(stored.id(), name == null ? "file" : name.toString(), stored.size(), stored.contentType(),
                    stored.sha256());
        }, io).thenCompose(a -> send(id, a.encode()).thenApply(messageId -> a));
    }

    /**
     * Downloads an announced file to {@code target} (a file path), checking it against the announced SHA-256.
     * Only a current member of a conversation the file was shared into may download it.
     */
    public CompletableFuture<Path> download(Attachment attachment, Path target) {
        return CompletableFuture.supplyAsync(() -> files.download(attachment.fileId(), attachment.sha256(), target), io);
    }

    /**
     * Tells the sender that this device's user has read a message. Completes once the server has it, or, when the
     * server cannot take it now (rate-limited, not connected), once it is kept in the vault to be sent later.
     */
    public CompletableFuture<Void> markRead(ReceivedMessage message) {
        return onActor(() -> {
            receipts.read(message);
            return null;
        });
    }

    /** Receipts kept to be sent later (for diagnostics and tests). */
    public CompletableFuture<Integer> pendingReceipts() {
        return onActor(receipts::pending);
    }

    public CompletableFuture<Long> epoch(ConversationId id) {
        return onActor(() -> group(id).epoch());
    }

    public CompletableFuture<List<DeviceUri>> members(ConversationId id) {
        return onActor(() -> List.copyOf(group(id).members().values()));
    }

    public CompletableFuture<Set<ConversationId>> conversations() {
        return onActor(() -> groups.keySet().stream().filter(id -> !DeviceLinks.isLink(id))
                .collect(java.util.stream.Collectors.toUnmodifiableSet()));
    }

    /** The epoch authenticator: equal on all members at the same epoch (for tests and diagnostics). */
    public CompletableFuture<byte[]> epochAuthenticator(ConversationId id) {
        return onActor(() -> group(id).epochAuthenticator());
    }

    /** Safety number of this device and {@code other} in a conversation, to compare out of band. */
    public CompletableFuture<String> safetyNumber(ConversationId id, DeviceUri other) {
        return onActor(() -> group(id).safetyNumber(other));
    }

    /** Every message this device sent or received, from the encrypted vault. */
    public CompletableFuture<List<ReceivedMessage>> history() {
        return onActor(history::all);
    }

    /**
     * The directory holding this device's identity (key and certificate), deleted with the vault when the server
     * sends a remote-wipe command (see {@link RemoteWipe}).
     */
    public void deleteOnWipe(java.nio.file.Path identityDirectory) {
        this.identityDirectory = identityDirectory;
    }

    /** Completes once a remote-wipe command was carried out and confirmed; the client then stays offline. */
    public CompletableFuture<Void> wiped() {
        return wiped;
    }

    /** Remote wipe: forgets every conversation and key and destroys the local vault. */
    public CompletableFuture<Void> wipe() {
        return onActor(() -> {
            groups.clear();
            keyPackages.clear();
            vault.destroy();
            return null;
        });
    }

    // ---- legal hold: the records custodian (LegalHoldMembership, ADR 0010) ---------------------------------

    /** This device's part in legal holds: the custodian checks it runs by itself, and labelled member lists. */
    public LegalHoldMembership legalHold() {
        return legalHold;
    }

    /**
     * Adds {@code member} (claiming one of its key packages) unless it is a member already, also when another
     * member's commit wins meanwhile. Completes true when this device committed the Add.
     */
    public CompletableFuture<Boolean> addIfAbsent(ConversationId id, DeviceUri member) {
        return commits.addIfAbsent(id, member);
    }

    /**
     * Removes those of {@code devices} that are still members (never this device), also when another member's
     * commit wins meanwhile. Completes true when this device committed the Remove. Fails when only this device
     * would remain (bcmls 1.84 cannot commit a one-member tree, bc-java #2492).
     */
    public CompletableFuture<Boolean> removeIfPresent(ConversationId id, List<DeviceUri> devices) {
        return commits.removeIfPresent(id, devices);
    }

    // ---- connection ----------------------------------------------------------------------------------------

    /** The connection counts as connected: resumes what waited for it (on the actor; a failure drops it). */
    private void onConnected() {
        listener.onConnection(true);
        if (outboxLost != null) {
            listener.onPendingLost(outboxLost);
            outboxLost = null;
        }
        sendQueued();
        receipts.resume();
        if (!rejoinRequested) {
            rejoinRequested = true;
            reportLostState();
            requestRejoins();
        }
        legalHold.check();
    }

    /** On a refused upgrade: carries out a pending remote wipe, if any; true when this device is now wiped. */
    private boolean wipeOnCommand() {
        try {
            if (!RemoteWipe.wipeIfCommanded(credentials.withDeviceListener(listeners.current()), vault, identityDirectory)) {
                return false;
            }
        } catch (RuntimeException ex) {
            LOG.atWarn().addKeyValue("errorType", ex.getClass().getSimpleName()).log("remote wipe check failed");
            return false;
        }
        groups.clear();
        inbound.dropAllEarly();
        keyPackages.clear();
        connection.stop();
        LOG.atWarn().log("this device was wiped at the server's command");
        wiped.complete(null);
        return true;
    }

    private void topUpKeyPackages() throws Exception {
        keyPackages.topUp(new KeyPackageSupply.Client() {
            @Override
            public void persist() {
                MessagingClient.this.persist();
            }

            @Override
            public Frame await(Frame upload) throws Exception {
                return MessagingClient.await(request(upload));
            }
        });
    }

    // ---- MLS state ----------------------------------------------------------------------------------------

    /** Makes the MLS state durable (see {@link DeviceState}); a failure propagates, so nothing depending on it proceeds. */
    private void persist() {
        if (state != null && !vault.isDestroyed()) {
            history.sync(); // the messages first: a state ahead of its messages would lose them
            vault.sync(UndecryptedRecords.KIND);
            state.save(identity, keyPackages.bundles(), keyPackages.lastResort(), groups);
        }
    }

    /** Replaces the in-memory MLS state by the last durable one (after a failure part-way through a change). */
    private void reloadState() {
        if (state == null || vault.isDestroyed() || connection.isClosing()) {
            return;
        }
        DeviceState.Loaded[] found = new DeviceState.Loaded[1];
        try {
            DeviceState.open(vault, keepEpochs(), device(), l -> found[0] = l);
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue("errorType", e.getClass().getSimpleName()).log("MLS state could not be reloaded");
            return;
        }
        DeviceState.Snapshot s = found[0] == null ? null : found[0].snapshot();
        if (s != null) {
            groups.clear();
            groups.putAll(s.groups());
            keyPackages.restore(s.bundles(), s.lastResort());
        }
    }

    /** Tells the listener, once, which conversations' MLS state was lost and why (their earlier messages stay unreadable). */
    private void reportLostState() {
        if (stateLost == null || vault.isDestroyed()) {
            return;
        }
        List<ConversationId> lost = MembershipRecords.active(vault.read(MembershipRecords.KIND)).keySet().stream()
                .filter(id -> !groups.containsKey(id)).toList();
        listener.onStateLost(lost, stateLost);
    }

    private void learnServerKey() {
        removals.learnServerKey();
    }

    /** Closes a conversation on this device only (when bcmls 1.84 could not commit the one-member tree left). */
    private void closeHere(ConversationId id) {
        groups.remove(id);
        inbound.dropEarly(id);
        forget(id);
        listener.onRemoved(id);
    }

    private void join(ConversationId id, byte[] welcome) throws Exception {
        KeyPackageBundle match = keyPackages.matching(welcome).orElse(null);
        if (match == null) {
            listener.onRejected(id, "welcome.no_key_package");
            return;
        }
        groups.put(id, ConversationGroup.join(identity, match, welcome));
        keyPackages.used(match);
        if (!DeviceLinks.isLink(id)) {
            remember(id);
            listener.onJoined(id);
            legalHold.check();
        }
        inbound.replayEarly(id);
        if (keyPackages.low()) {
            actor.execute(() -> {
                try {
                    topUpKeyPackages();
                } catch (Exception e) {
                    LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName()).log("key package top-up failed");
                }
            });
        }
    }

    // ---- history for a new device (HistoryTransfer), rejoining after a restart (DeviceLinks) ----------------

    /**
     * Sends this device's message history (from its vault) to another, newly enrolled device of the same user,
     * end to end encrypted: a link conversation with just the two devices carries the vault's history records in
     * MLS application messages. The other device stores them in its own vault ({@link MessageListener#onHistory}).
     * Completes with the number of records sent.
     */
    public CompletableFuture<Integer> sendHistoryTo(DeviceUri newDevice) {
        return historyTransfer.sendTo(newDevice);
    }

    private void onLinkMessage(ConversationId link, DeviceUri sender, byte[] plaintext) throws Exception {
        if (DeviceLinks.is(link, DeviceLinks.HISTORY_TAG)) {
            historyTransfer.received(link, sender, plaintext);
        } else if (DeviceLinks.is(link, DeviceLinks.REJOIN_TAG)) {
            groups.remove(link);
            ConversationId target = DeviceLinks.parseRejoin(plaintext).orElse(null);
            ConversationGroup group = target == null ? null : groups.get(target);
            if (group == null || sender.equals(device()) || !group.members().containsValue(sender)) {
                return; // not a conversation this device can let the sender back into
            }
            readd(target, sender).whenComplete((epoch, e) -> {
                if (e != null) {
                    LOG.atWarn().addKeyValue("errorType", unwrap(e).getClass().getSimpleName()).log("re-adding a device failed");
                }
            });
        }
    }

    /** Replaces a member device's leaf with a fresh key package of it (it lost its group state). */
    private CompletableFuture<Long> readd(ConversationId id, DeviceUri member) {
        return onActor(() -> await(request(Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.DEVICE, member.toString())))
                .bytes(Tag.KEY_PACKAGE))
                .thenCompose(kp -> commits.commit(id, group -> group.commitReadd(member, kp)));
    }

    /**
     * After a restart this device has no MLS group state (bcmls 1.84 cannot serialize a group). For every
     * conversation its vault says it belonged to, it asks one other member device (its own user's first) through
     * a link conversation to commit it back in with a fresh key package. Messages sent while it was away are not
     * readable on it; {@link #sendHistoryTo} from a sibling device fills that gap.
     */
    private void requestRejoins() {
        if (vault.isDestroyed()) {
            return;
        }
        for (Map.Entry<ConversationId, List<DeviceUri>> e : MembershipRecords.active(vault.read(MembershipRecords.KIND)).entrySet()) {
            if (groups.containsKey(e.getKey())) {
                continue;
            }
            DeviceLinks.helperFor(device(), e.getValue()).ifPresent(helper -> createLink(DeviceLinks.REJOIN_TAG)
                    .thenCompose(link -> invite(link, List.of(helper.toString()))
                            .thenCompose(epoch -> sendAttempt(link, DeviceLinks.rejoinRequest(e.getKey()), 1, false))
                            .whenComplete((v, err) -> actor.execute(() -> groups.remove(link))))
                    .whenComplete((v, err) -> {
                        if (err != null) {
                            LOG.atWarn().addKeyValue("errorType", unwrap(err).getClass().getSimpleName())
                                    .log("asking to rejoin a conversation failed");
                        }
                    }));
        }
    }

    /** Records this conversation and its current members in the vault (not for link conversations). */
    private void remember(ConversationId id) {
        ConversationGroup g = groups.get(id);
        if (g == null || DeviceLinks.isLink(id) || vault.isDestroyed()) {
            return;
        }
        try {
            vault.append(MembershipRecords.KIND, MembershipRecords.encode(id, true, List.copyOf(g.members().values())));
        } catch (InvalidMlsMessageException e) {
            LOG.atWarn().log("membership not recorded: a member credential is not a device URI");
        }
    }

    private void forget(ConversationId id) {
        if (!DeviceLinks.isLink(id) && !vault.isDestroyed()) {
            vault.append(MembershipRecords.KIND, MembershipRecords.encode(id, false, List.of()));
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------------------

    private ConversationGroup group(ConversationId id) {
        ConversationGroup g = groups.get(id);
        if (g == null) {
            throw new MessagingException("conversation.unknown", null);
        }
        return g;
    }

    /** Sends on the current connection; a rate-limit refusal is retried (see {@link RateLimitRetry}). */
    private CompletableFuture<Frame> request(Frame frame) {
        return connection.request(frame);
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } catch (TimeoutException e) {
            throw new MessagingException(MessagingException.CONNECTION_LOST, null);
        }
    }

    private <T> CompletableFuture<T> onActor(Callable<T> task) {
        return onActor(actor, task);
    }

    /** Runs {@code task} on {@code actor}; the future completes there with its result or what it threw. */
    static <T> CompletableFuture<T> onActor(java.util.concurrent.Executor actor, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        actor.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    @Override
    public void close() {
        connection.close();
        actor.shutdown(); // lets a state save under way finish: an interrupt would abandon it
        try {
            if (!actor.awaitTermination(5, TimeUnit.SECONDS)) {
                actor.shutdownNow();
            }
        } catch (InterruptedException e) {
            actor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        io.shutdownNow();
        legalHold.close();
        vault.close();
    }

    @Override
    public String toString() {
        return "MessagingClient[" + device() + "]";
    }
}
