package org.wardline.clients.messaging;

import org.wardline.protocol.mls.DeviceUri;

/** A decrypted application message. {@link #toString()} leaves the body out (it may be PHI). */
public record ReceivedMessage(ConversationId conversation, DeviceUri sender, long messageId, long sentAt, byte[] body) {
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
