package org.wardline.clients.messaging;

import org.wardline.protocol.mls.DeviceUri;

/**
 * A decrypted application message. {@link #toString()} leaves the body out (it may be PHI).
 *
 * @param expiresAt when it disappears (ms since 1970), in a conversation with a disappearing-message timer; 0 never
 */
public record ReceivedMessage(ConversationId conversation, DeviceUri sender, long messageId, long sentAt, byte[] body,
                              long expiresAt) {
    /** A message that does not disappear. */
    public ReceivedMessage(ConversationId conversation, DeviceUri sender, long messageId, long sentAt, byte[] body) {
        this(conversation, sender, messageId, sentAt, body, 0);
    }

    /** Whether its time has come at {@code now} (ms since 1970). */
    public boolean expiredAt(long now) {
        return expiresAt != 0 && expiresAt <= now;
    }

    /** The file this message announces, if it is an attachment rather than text. */
    public java.util.Optional<Attachment> attachment() {
        return Attachment.parse(body);
    }

    public String text() {
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ReceivedMessage[" + conversation + " #" + messageId + " from " + sender + "]";
    }
}
