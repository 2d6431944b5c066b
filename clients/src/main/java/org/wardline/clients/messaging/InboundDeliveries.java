package org.wardline.clients.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.InvalidMlsMessageException;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.ReceiptKind;
import org.wardline.protocol.wire.Tag;
import org.wardline.protocol.wire.UnreadReason;
import org.wardline.protocol.wire.WireException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The deliveries the server pushes to one {@link MessagingClient}, processed in order: each is acknowledged
 * ({@link AckBatcher}) only after it was processed and the state it produced is durable. A message for an epoch this
 * device has not reached waits for the commit that reaches it. One that fails leaves it and every later delivery on
 * this connection unacknowledged, for the server to deliver again, in order, on the next. One that cannot be
 * decrypted or placed is kept in the vault, undecrypted, with its reason, and acknowledged as unread. Every method
 * runs on the client's actor thread.
 */
final class InboundDeliveries {
    private static final Logger LOG = LoggerFactory.getLogger(InboundDeliveries.class);

    /** What processing a delivery needs of the client. Called on the actor thread. */
    interface Client {
        /** Joins the conversation this Welcome is for, then {@link #replayEarly replays} what waited for it. */
        void join(ConversationId id, byte[] welcome) throws Exception;

        /** This device is no longer a member: its group is dropped, its membership forgotten and the listener told. */
        void removed(ConversationId id);

        /** Records the conversation's current members in the vault. */
        void remember(ConversationId id);

        /** An application message in a link conversation between two devices of this user. */
        void linkMessage(ConversationId link, DeviceUri sender, byte[] plaintext) throws Exception;

        /** A message decrypted and recorded for the first time. */
        void received(ReceivedMessage message);

        /** The server asks a member to take these wiped devices out of the conversation. */
        void removalRequested(ConversationId id, List<String> devices) throws Exception;

        /** The server proposed, as the group's external sender, to remove a wiped device. */
        void externalRemovalProposed(ConversationId id, ConversationGroup group, Frame proposal) throws Exception;

        /** A legal hold that requires the records custodian was placed or released. */
        void legalHoldChanged();

        /** Makes the MLS state durable; a failure propagates. */
        void persist();

        /** Goes back to the last durable MLS state and drops the connection. */
        void failed();
    }

    private final DeviceUri self;
    private final Map<ConversationId, ConversationGroup> groups;
    private final MessageHistory history;
    private final LocalVault vault;
    private final AckBatcher acks;
    private final MessageListener listener;
    private final Client client;
    private final Map<ConversationId, List<Frame>> early = new HashMap<>();
    private final Set<Long> processed = new HashSet<>();
    /** After a delivery failed on this connection: the rest is left for the server to deliver again, in order. */
    private boolean halted;
    /** Deliveries changed the MLS state since it was last saved. */
    private boolean stateDirty;

    /** {@code groups} is the client's own map of this device's groups, read and changed here. */
    InboundDeliveries(DeviceUri self, Map<ConversationId, ConversationGroup> groups, MessageHistory history, LocalVault vault,
                      AckBatcher acks, MessageListener listener, Client client) {
        this.self = self;
        this.groups = groups;
        this.history = history;
        this.vault = vault;
        this.acks = acks;
        this.listener = listener;
        this.client = client;
    }

    /** A new connection: deliveries are processed again. */
    void resume() {
        halted = false;
    }

    void deliver(Frame frame) {
        long seq;
        try {
            seq = frame.u64(Tag.SEQ);
        } catch (WireException e) {
            return;
        }
        if (processed.contains(seq)) {
            acks.ack(seq);
            return;
        }
        if (halted) {
            return; // delivered again, in order, on the next connection
        }
        try {
            if (!process(frame)) {
                return; // kept for later (a message for an epoch this device has not reached yet)
            }
        } catch (Exception e) {
            failed(e);
            return;
        }
        if (halted) {
            return; // a message replayed inside this commit failed: the state is back before the commit, so is its ACK
        }
        processed.add(seq);
        stateDirty = true;
        acks.ack(seq); // sent once the state this produced is durable (AckBatcher)
    }

    /**
     * Saves the state the deliveries processed since the last save produced, once for all of them, before any of
     * them is acknowledged; false when that failed (then as {@link #failed}).
     */
    boolean makeDurable() {
        if (!stateDirty) {
            return true;
        }
        try {
            client.persist();
            stateDirty = false;
            return true;
        } catch (RuntimeException e) {
            failed(e);
            return false;
        }
    }

    /** Forgets the deliveries waiting for a later epoch of this conversation. */
    void dropEarly(ConversationId id) {
        early.remove(id);
    }

    /** Forgets every delivery waiting for a later epoch. */
    void dropAllEarly() {
        early.clear();
    }

    /** Processes what waited for the epoch this conversation's group has now reached. */
    void replayEarly(ConversationId id) {
        List<Frame> waiting = early.remove(id);
        if (waiting != null) {
            waiting.forEach(this::deliver);
        }
    }

    /**
     * A delivery could not be processed, or the state deliveries produced could not be saved: none of the deliveries
     * not yet acknowledged is acknowledged (the server keeps them); the client goes back to its last durable state
     * and reconnects, to be sent them again, in order.
     */
    private void failed(Throwable e) {
        LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName()).log("delivery not processed; not acknowledged");
        halted = true;
        processed.removeAll(acks.drop());
        stateDirty = false;
        early.clear();
        client.failed();
    }

    /** Processes one delivery; false when it must wait for an earlier commit. */
    private boolean process(Frame f) throws Exception {
        DeliveryKind kind = DeliveryKind.forCode(f.u64(Tag.KIND));
        ConversationId id = ConversationId.of(f.bytes(Tag.GROUP_ID));
        if (kind == DeliveryKind.WELCOME) {
            if (!groups.containsKey(id)) { // else joined before a crash that came before the acknowledgement
                client.join(id, f.bytes(Tag.WELCOME));
            }
            return true;
        }
        ConversationGroup group = groups.get(id);
        if (kind == null) {
            return true;
        }
        if (group == null) {
            if (kind == DeliveryKind.APPLICATION && !DeviceLinks.isLink(id)) {
                keepUndecrypted(id, f, MessageListener.NOT_A_MEMBER_HERE);
            }
            return true;
        }
        DeviceUri sender = DeviceUri.parse(f.text(Tag.SENDER)).orElseThrow(() -> new InvalidMlsMessageException("bad sender"));
        switch (kind) {
            case COMMIT -> {
                if (f.allText(Tag.REMOVED).contains(self.toString())) {
                    early.remove(id);
                    client.removed(id);
                    return true;
                }
                long epoch = f.u64(Tag.EPOCH);
                if (epoch > group.epoch()) {
                    early.computeIfAbsent(id, k -> new ArrayList<>()).add(f);
                    return false;
                }
                if (epoch == group.epoch()) {
                    Map<DeviceUri, String> safetyBefore = safetyNumbers(group);
                    if (!group.apply(f.bytes(Tag.PAYLOAD))) {
                        client.removed(id);
                        return true;
                    }
                    client.remember(id);
                    listener.onEpoch(id, group.epoch());
                    announce(id, sender, f, safetyBefore, safetyNumbers(group));
                    replayEarly(id);
                }
            }
            case APPLICATION -> {
                long epoch = f.u64(Tag.EPOCH);
                if (epoch > group.epoch()) {
                    early.computeIfAbsent(id, k -> new ArrayList<>()).add(f);
                    return false;
                }
                if (!DeviceLinks.isLink(id) && history.holds(id, sender, f.u64(Tag.MESSAGE_ID))) {
                    return true; // processed before a crash that came before the acknowledgement: its key is spent
                }
                ConversationGroup.Decrypted d;
                try {
                    d = group.unprotect(f.bytes(Tag.PAYLOAD));
                } catch (InvalidMlsMessageException e) {
                    keepUndecrypted(id, f, epoch < group.epoch() ? MessageListener.EARLIER_EPOCH : MessageListener.UNDECRYPTABLE);
                    return true;
                }
                if (!d.sender().equals(sender)) {
                    listener.onRejected(id, "sender mismatch");
                    return true;
                }
                if (DeviceLinks.isLink(id)) {
                    client.linkMessage(id, sender, d.plaintext());
                    return true;
                }
                ReceivedMessage m = new ReceivedMessage(id, sender, f.u64(Tag.MESSAGE_ID), f.u64(Tag.SENT_AT), d.plaintext(),
                        f.u64(Tag.EXPIRES_AT, 0));
                if (m.expiredAt(System.currentTimeMillis())) { // its time came on the way: kept as read, never shown
                    history.record(new ReceivedMessage(id, sender, m.messageId(), m.sentAt(), new byte[0], m.expiresAt()));
                    return true;
                }
                if (!history.record(m)) {
                    return true; // recorded before a crash, whose state was not saved yet: once is enough
                }
                client.received(m);
            }
            case REMOVAL_REQUEST -> client.removalRequested(id, f.allText(Tag.REMOVED));
            case LEGAL_HOLD_CHANGED -> client.legalHoldChanged();
            case EXTERNAL_PROPOSAL -> {
                if (f.u64(Tag.EPOCH) > group.epoch()) {
                    early.computeIfAbsent(id, k -> new ArrayList<>()).add(f);
                    return false;
                }
                client.externalRemovalProposed(id, group, f);
            }
            case RECEIPT -> {
                byte[] p = f.bytes(Tag.PAYLOAD);
                ReceiptKind rk = p.length == 1 ? ReceiptKind.forCode(p[0]) : null;
                if (rk != null) {
                    listener.onReceipt(new Receipt(id, sender, f.u64(Tag.MESSAGE_ID), rk));
                }
            }
            default -> { }
        }
        return true;
    }

    /** Keeps an application message this device cannot decrypt or place, undecrypted, with its reason. */
    private void keepUndecrypted(ConversationId id, Frame f, String reason) throws WireException {
        if (!vault.isDestroyed()) {
            vault.append(UndecryptedRecords.KIND, UndecryptedRecords.encode(id, f.text(Tag.SENDER), f.u64(Tag.MESSAGE_ID),
                    f.u64(Tag.SENT_AT), reason, f.bytes(Tag.PAYLOAD)));
        }
        long seq = f.u64(Tag.SEQ);
        UnreadReason.forCode(reason).ifPresent(r -> acks.markUnread(seq, r));
        listener.onUndecryptable(id, reason);
    }

    /** This device's safety number with every other member. */
    private Map<DeviceUri, String> safetyNumbers(ConversationGroup group) throws InvalidMlsMessageException {
        Map<DeviceUri, String> out = new HashMap<>();
        for (DeviceUri d : group.members().values()) {
            if (!d.equals(self)) {
                out.put(d, group.safetyNumber(d));
            }
        }
        return out;
    }

    /** Tells the listener who changed the membership, and which members' safety numbers changed. */
    private void announce(ConversationId id, DeviceUri by, Frame commit, Map<DeviceUri, String> before,
                          Map<DeviceUri, String> after) throws WireException {
        List<DeviceUri> added = commit.allText(Tag.ADDED).stream().map(DeviceUri::parse).flatMap(Optional::stream)
                .filter(d -> !before.containsKey(d)).toList();
        List<DeviceUri> removed = commit.allText(Tag.REMOVED).stream().map(DeviceUri::parse).flatMap(Optional::stream)
                .toList();
        if (!added.isEmpty() || !removed.isEmpty()) {
            listener.onMembershipChanged(id, by, added, removed);
        }
        after.forEach((d, number) -> {
            String was = before.get(d);
            if (was != null && !was.equals(number)) {
                listener.onSafetyNumberChanged(id, d);
            }
        });
    }
}
