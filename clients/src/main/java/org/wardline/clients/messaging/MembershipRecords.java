package org.wardline.clients.messaging;

import org.wardline.protocol.mls.DeviceUri;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conversations this device belongs to and their members as last seen, kept in the vault (kind
 * {@code memberships}) so a restarted device knows which conversations to ask to rejoin, and whom to ask.
 * Records are appended; the last one per conversation wins. Format: version 1, {@code writeUTF(hex)},
 * {@code writeBoolean(active)}, {@code writeInt(n)}, {@code n × writeUTF(device URI)}.
 */
final class MembershipRecords {
    static final String KIND = "memberships";

    private MembershipRecords() {
    }

    static byte[] encode(ConversationId id, boolean active, List<DeviceUri> members) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeUTF(id.hex());
            out.writeBoolean(active);
            out.writeInt(members.size());
            for (DeviceUri d : members) {
                out.writeUTF(d.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The conversations still active in the records, with their last known members, in first-seen order. */
    static Map<ConversationId, List<DeviceUri>> active(List<byte[]> records) {
        Map<ConversationId, List<DeviceUri>> out = new LinkedHashMap<>();
        for (byte[] r : records) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(r))) {
                if (in.readByte() != 1) {
                    continue;
                }
                ConversationId id = new ConversationId(in.readUTF());
                boolean active = in.readBoolean();
                int n = in.readInt();
                List<DeviceUri> members = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    DeviceUri.parse(in.readUTF()).ifPresent(members::add);
                }
                if (active) {
                    out.put(id, members);
                } else {
                    out.remove(id);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
