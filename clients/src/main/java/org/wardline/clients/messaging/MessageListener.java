package org.wardline.clients.messaging;

/** Callbacks of a {@link MessagingClient}; all run on the client's single processing thread, in delivery order. */
public interface MessageListener {
    /** {@link #onUndecryptable} reason: the message is for a conversation this device holds no state of. */
    String NOT_A_MEMBER_HERE = "conversation.unknown";
    /** {@link #onUndecryptable} reason: the message is for an epoch this device has already left. */
    String EARLIER_EPOCH = "epoch.earlier";
    /** {@link #onUndecryptable} reason: the message does not decrypt with this device's keys. */
    String UNDECRYPTABLE = "undecryptable";

    default void onMessage(ReceivedMessage message) {
    }

    default void onJoined(ConversationId conversation) {
    }

    /** This device was removed from the conversation; nothing sent there later is readable to it. */
    default void onRemoved(ConversationId conversation) {
    }

    /** A commit changed the conversation's membership; {@code epoch} is the new epoch. */
    default void onEpoch(ConversationId conversation, long epoch) {
    }

    /** Another member's commit added or removed devices ({@code by}: the committer; the server for a wipe's removal). */
    default void onMembershipChanged(ConversationId conversation, org.wardline.protocol.mls.DeviceUri by,
                                     java.util.List<org.wardline.protocol.mls.DeviceUri> added,
                                     java.util.List<org.wardline.protocol.mls.DeviceUri> removed) {
    }

    /**
     * The safety number of this device and {@code member} changed (its key changed: a re-added device, or someone
     * in the middle): compare it again out of band before trusting that device.
     */
    default void onSafetyNumberChanged(ConversationId conversation, org.wardline.protocol.mls.DeviceUri member) {
    }

    default void onReceipt(Receipt receipt) {
    }

    /** A delivery could not be processed (malformed, undecryptable, or its sender did not match). */
    default void onRejected(ConversationId conversation, String reason) {
    }

    /**
     * A message could not be decrypted or placed; it is kept in the vault undecrypted, with {@code reason}
     * ({@link #NOT_A_MEMBER_HERE}, {@link #EARLIER_EPOCH}, {@link #UNDECRYPTABLE}), and the user should be told.
     */
    default void onUndecryptable(ConversationId conversation, String reason) {
    }

    /**
     * The saved MLS state could not be used ({@code reason}, in words: missing, altered, rolled back, another
     * device's) and was set aside: this device asks to be committed back into {@code conversations}, whose
     * messages sent before that stay unreadable here.
     */
    default void onStateLost(java.util.List<ConversationId> conversations, String reason) {
    }

    /**
     * This device's session has ended (idle logoff, or signed out elsewhere): the server refuses the connection. The
     * client keeps its state and its unread inbox, and resumes every conversation once the user signs in again.
     */
    default void onSignedOut() {
    }

    /**
     * The server refuses this device for good (revoked or lost, its certificate refused): the client stopped
     * connecting, and what waited for the connection failed with {@link MessagingException#DEVICE_REVOKED}. Only
     * enrolling the device again helps.
     */
    default void onDeviceRevoked() {
    }

    default void onConnection(boolean connected) {
    }

    /** A message queued before this client started (saved in the vault's outbox) has now been sent. */
    default void onPendingSent(ConversationId conversation, long messageId) {
    }

    /** A message queued before this client started was refused ({@code code}, e.g. not a member any more). */
    default void onPendingFailed(ConversationId conversation, String code) {
    }

    /**
     * {@code count} receipts had to be dropped: the server did not take them and more than 10,000 were waiting
     * already.
     */
    default void onReceiptsDropped(int count) {
    }

    /** The saved outbox could not be read ({@code reason}, in words): what it held was not sent. */
    default void onPendingLost(String reason) {
    }

    /** Another device of this user sent its history; {@code records} new records were added to the vault. */
    default void onHistory(int records) {
    }
}
