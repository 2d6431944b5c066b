package org.wardline.clients.messaging;

import org.wardline.protocol.mls.DeviceUri;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Link conversations: short-lived MLS groups a device makes for device management, never shown as conversations.
 * Their group ID is a four-byte tag and 16 random bytes; their application messages carry one of the payloads
 * below (all end to end encrypted like any message). See protocol/PROTOCOL.md, "History for a new device" and
 * "Rejoining after a restart".
 * <ul>
 *   <li>{@code WLH1}: history transfer between two devices of one user. Payload {@code 00 57 48 01}, then
 *       {@code int count} and {@code count × (int length, vault history record)}.</li>
 *   <li>{@code WLR1}: a restarted device asks a member of a conversation to add it again. Payload
 *       {@code 00 57 52 01}, then {@code writeUTF(conversation group ID, hex)}.</li>
 * </ul>
 */
final class DeviceLinks {
    static final byte[] HISTORY_TAG = {'W', 'L', 'H', '1'};
    static final byte[] REJOIN_TAG = {'W', 'L', 'R', '1'};
    private static final byte[] HISTORY_MAGIC = {0x00, 'W', 'H', 0x01};
    private static final byte[] REJOIN_MAGIC = {0x00, 'W', 'R', 0x01};
    /** Plaintext per history message: well below the 196,608-byte frame limit once encrypted and framed. */
    static final int HISTORY_BATCH_BYTES = 96 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceLinks() {
    }

    static byte[] newGroupId(byte[] tag) {
        byte[] id = Arrays.copyOf(tag, tag.length + 16);
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        System.arraycopy(random, 0, id, tag.length, 16);
        return id;
    }

    static boolean isLink(ConversationId id) {
        return is(id, HISTORY_TAG) || is(id, REJOIN_TAG);
    }

    static boolean is(ConversationId id, byte[] tag) {
        byte[] g = id.groupId();
        return g.length == tag.length + 16 && Arrays.equals(g, 0, tag.length, tag, 0, tag.length);
    }

    /** Splits history records into message payloads of at most {@link #HISTORY_BATCH_BYTES}. */
    static List<byte[]> historyBatches(List<byte[]> records) {
        List<byte[]> out = new ArrayList<>();
        List<byte[]> batch = new ArrayList<>();
        int size = 0;
        for (byte[] r : records) {
            if (!batch.isEmpty() && size + r.length + 4 > HISTORY_BATCH_BYTES) {
                out.add(history(batch));
                batch = new ArrayList<>();
                size = 0;
            }
            batch.add(r);
            size += r.length + 4;
        }
        if (!batch.isEmpty()) {
            out.add(history(batch));
        }
        return out;
    }

    private static byte[] history(List<byte[]> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(HISTORY_MAGIC);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(records.size());
            for (byte[] r : records) {
                out.writeInt(r.length);
                out.write(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Optional<List<byte[]>> parseHistory(byte[] body) {
        Optional<DataInputStream> in = open(body, HISTORY_MAGIC);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (DataInputStream data = in.get()) {
            int n = data.readInt();
            List<byte[]> records = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int length = data.readInt();
                if (length < 0 || length > body.length) {
                    return Optional.empty();
                }
                records.add(data.readNBytes(length));
            }
            return Optional.of(records);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static byte[] rejoinRequest(ConversationId conversation) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(REJOIN_MAGIC);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(conversation.hex());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Optional<ConversationId> parseRejoin(byte[] body) {
        Optional<DataInputStream> in = open(body, REJOIN_MAGIC);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (DataInputStream data = in.get()) {
            String hex = data.readUTF();
            return hex.matches("([0-9a-f]{2}){1,255}") ? Optional.of(new ConversationId(hex)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<DataInputStream> open(byte[] body, byte[] magic) {
        if (body.length < magic.length || !Arrays.equals(body, 0, magic.length, magic, 0, magic.length)) {
            return Optional.empty();
        }
        return Optional.of(new DataInputStream(new ByteArrayInputStream(body, magic.length, body.length - magic.length)));
    }

    /** The device a restarted device asks to add it again: one of its own user's, else any other member. */
    static Optional<DeviceUri> helperFor(DeviceUri self, List<DeviceUri> members) {
        return members.stream().filter(d -> !d.equals(self))
                .min((a, b) -> Boolean.compare(!a.user().equals(self.user()), !b.user().equals(self.user())));
    }
}
