package org.wardline.clients.messaging;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A file announced in a conversation. The announcement is an ordinary MLS application message, so the file's
 * name and hash are end to end encrypted; the file itself is on the server (scanned, encrypted at rest) and
 * readable by the conversation's current members ({@code GET /v1/files/:id}).
 *
 * <p>Payload format (the application message's plaintext): the four bytes {@code 00 57 41 01} ("\0WA", version 1),
 * then, as Java {@code DataOutput}: {@code writeUTF(fileId)}, {@code writeUTF(name)}, {@code writeLong(size)},
 * {@code writeUTF(contentType)}, {@code writeUTF(sha256 hex)}. A plaintext without that prefix is UTF-8 text.
 *
 * @param fileId      the server's file ID
 * @param name        the file's name as the sender had it (no folders)
 * @param size        bytes
 * @param contentType the type the server detected
 * @param sha256      hex SHA-256 of the content; a download that does not match is discarded
 */
public record Attachment(String fileId, String name, long size, String contentType, String sha256) {
    private static final byte[] MAGIC = {0x00, 'W', 'A', 0x01};

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(MAGIC);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(fileId);
            out.writeUTF(name);
            out.writeLong(size);
            out.writeUTF(contentType == null ? "" : contentType);
            out.writeUTF(sha256 == null ? "" : sha256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The attachment a message body announces, or empty for a text message (or a malformed announcement). */
    public static Optional<Attachment> parse(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body, MAGIC.length, body.length - MAGIC.length))) {
            String fileId = in.readUTF();
            String name = in.readUTF();
            long size = in.readLong();
            String type = in.readUTF();
            String sha = in.readUTF();
            return Optional.of(new Attachment(fileId, name, size, type, sha));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A name safe to create in a download folder: no folders, no control characters, not hidden. */
    public String safeFileName() {
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[\\p{Cntrl}]", "_").strip();
        while (base.startsWith(".")) {
            base = base.substring(1);
        }
        return base.isEmpty() ? "attachment-" + fileId : base;
    }

    @Override
    public String toString() {
        return "Attachment[" + fileId + ", " + size + " bytes]";
    }
}
