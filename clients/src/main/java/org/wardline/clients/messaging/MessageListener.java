package org.wardline.clients.messaging;

/** Callbacks of a {@link MessagingClient}; all run on the client's single processing thread, in delivery order. */
public interface MessageListener {
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

    default void onReceipt(Receipt receipt) {
    }

    /** A delivery could not be processed (malformed, undecryptable, or its sender did not match). */
    default void onRejected(ConversationId conversation, String reason) {
    }

    default void onConnection(boolean connected) {
    }

    /** Another device of this user sent its history; {@code records} new records were added to the vault. */
    default void onHistory(int records) {
    }
}
