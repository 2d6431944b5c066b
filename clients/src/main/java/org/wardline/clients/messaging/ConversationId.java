package org.wardline.clients.messaging;

import java.util.HexFormat;

/** A conversation, named by its MLS group ID (hex). */
public record ConversationId(String hex) {
    public static ConversationId of(byte[] groupId) {
        return new ConversationId(HexFormat.of().formatHex(groupId));
    }

    public byte[] groupId() {
        return HexFormat.of().parseHex(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
