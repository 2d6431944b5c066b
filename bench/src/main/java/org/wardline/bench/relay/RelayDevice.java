package org.wardline.bench.relay;

import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.FrameConnection;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceMlsIdentity;
import org.wardline.protocol.mls.KeyPackageBundle;
import org.wardline.protocol.mls.MlsSuites;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One benchmark device: its messaging connection, MLS identity and group, and what it has received. Deliveries
 * are acknowledged in batches (one ACK frame for what arrived within 10 ms), as a client receiving hundreds of
 * messages a second must: one ACK per DELIVER would run into the listener's per-connection frame limit long
 * before the relay's own limits.
 */
final class RelayDevice implements AutoCloseable {
    private static final long WAIT_SECONDS = 60;
    private static final long KIND_WELCOME = 2;
    private static final long KIND_MESSAGE = 4;
    private static final long ACK_DELAY_MILLIS = 10;
    /** The server's bound on SEQs in one ACK frame. */
    private static final int MAX_ACKS_PER_FRAME = 1000;
    /** One timer for every device's ACK batches. */
    private static final ScheduledExecutorService ACKS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relay-acks");
        t.setDaemon(true);
        return t;
    });

    private final DeviceCredentials creds;
    private final DeviceMlsIdentity identity;
    private final KeyPackageBundle bundle;
    private final CompletableFuture<byte[]> welcome = new CompletableFuture<>();
    private final Set<ByteBuffer> seen = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Long> unacked = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean ackScheduled = new AtomicBoolean();
    private DeliveryLedger ledger;
    private FrameConnection conn;
    private ConversationGroup group;

    private RelayDevice(DeviceCredentials creds) {
        this.creds = creds;
        this.identity = DeviceMlsIdentity.generate(creds.device(), MlsSuites.DEFAULT_ID);
        this.bundle = identity.newKeyPackage();
    }

    /** Connects, says HELLO and uploads one key package. */
    static RelayDevice connect(DeviceCredentials creds, DeliveryLedger ledger) throws Exception {
        RelayDevice d = new RelayDevice(creds);
        d.ledger = ledger;
        d.conn = FrameConnection.open(creds, d::onPush, () -> { }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        d.conn.request(Frame.of(FrameType.HELLO, 0)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        d.conn.request(Frame.of(FrameType.UPLOAD_KEY_PACKAGES, 0).with(Tag.KEY_PACKAGE, d.bundle.encoded()))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        return d;
    }

    private void onPush(Frame f) {
        try {
            long kind = f.u64(Tag.KIND);
            if (kind == KIND_WELCOME) {
                welcome.complete(f.bytes(Tag.WELCOME));
            } else if (kind == KIND_MESSAGE) {
                ledger.delivered(f.bytes(Tag.PAYLOAD), seen);
            }
            unacked.add(f.u64(Tag.SEQ));
            scheduleAck();
        } catch (Exception e) {
            throw new IllegalStateException("unexpected push frame", e);
        }
    }

    private void scheduleAck() {
        if (ackScheduled.compareAndSet(false, true)) {
            ACKS.schedule(this::flushAcks, ACK_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void flushAcks() {
        ackScheduled.set(false);
        while (!unacked.isEmpty() && conn.isOpen()) {
            List<Long> batch = new ArrayList<>();
            for (Long seq; batch.size() < MAX_ACKS_PER_FRAME && (seq = unacked.poll()) != null; ) {
                batch.add(seq);
            }
            Frame ack = Frame.of(FrameType.ACK, 0);
            for (long seq : batch) {
                ack = ack.with(Tag.SEQ, seq);
            }
            conn.request(ack).whenComplete((ok, e) -> {
                String code = e == null ? null : RelayBench.refusalCode(e);
                if (code != null) {
                    ledger.ackRefused(code);
                    unacked.addAll(batch); // refused, so not processed: acknowledge them again
                    scheduleAck();
                }
            });
        }
    }

    /** The first device creates the group and adds the others; they join from their Welcome. */
    static void formGroup(List<RelayDevice> members) throws Exception {
        RelayDevice owner = members.get(0);
        byte[] gid = UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        owner.group = ConversationGroup.create(owner.identity, gid);
        owner.conn.request(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, gid)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        Frame claim = Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0);
        for (RelayDevice d : members.subList(1, members.size())) {
            claim = claim.with(Tag.DEVICE, d.creds.device().toString());
        }
        Frame kps = owner.conn.request(claim).get(WAIT_SECONDS, TimeUnit.SECONDS);
        ConversationGroup.PendingCommit add = owner.group.commitAdd(kps.all(Tag.KEY_PACKAGE));
        Frame commit = Frame.of(FrameType.COMMIT, 0).with(Tag.GROUP_ID, gid).with(Tag.EPOCH, 0)
                .with(Tag.PAYLOAD, add.commit()).with(Tag.WELCOME, add.welcome())
                .withEach(Tag.ADDED, add.added().stream().map(Object::toString).toList());
        owner.conn.request(commit).get(WAIT_SECONDS, TimeUnit.SECONDS);
        owner.group.accept(add);
        for (RelayDevice d : members.subList(1, members.size())) {
            d.group = ConversationGroup.join(d.identity, d.bundle, d.welcome.get(WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    FrameConnection connection() {
        return conn;
    }

    ConversationGroup group() {
        return group;
    }

    @Override
    public void close() {
        if (conn != null) {
            conn.close();
        }
    }
}
