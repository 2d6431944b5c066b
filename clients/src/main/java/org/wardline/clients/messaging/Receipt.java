package org.wardline.clients.messaging;

import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.wire.ReceiptKind;

/** A delivery or read receipt for a message this device sent. */
public record Receipt(ConversationId conversation, DeviceUri from, long messageId, ReceiptKind kind) {
}
