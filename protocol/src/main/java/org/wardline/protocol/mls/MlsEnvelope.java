package org.wardline.protocol.mls;

import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSMessage;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What the delivery service may read of an MLS message without any key (RFC 9420 §6): wire format, group ID,
 * epoch, content type and, for a PrivateMessage, the authenticated data, which travels in clear and which
 * Wardline clients set to their device URI. {@link #inspect} also decodes the whole message with bcmls, so a
 * message that parses here is structurally valid MLS.
 */
public record MlsEnvelope(WireFormat wireFormat, byte[] groupId, long epoch, ContentType contentType,
                          byte[] authenticatedData) {
    /** RFC 9420 wire formats. */
    public enum WireFormat { PUBLIC_MESSAGE, PRIVATE_MESSAGE, WELCOME, GROUP_INFO, KEY_PACKAGE }

    /** RFC 9420 content types ({@code NONE} for messages without framed content). */
    public enum ContentType { NONE, APPLICATION, PROPOSAL, COMMIT }

    private static final int MLS10 = 1;

    public static MlsEnvelope inspect(byte[] message) throws InvalidMlsMessageException {
        if (message == null || message.length < 4) {
            throw new InvalidMlsMessageException("shorter than an MLS header");
        }
        ByteBuffer in = ByteBuffer.wrap(message);
        try {
            if ((in.getShort() & 0xFFFF) != MLS10) {
                throw new InvalidMlsMessageException("not MLS 1.0");
            }
            int format = in.getShort() & 0xFFFF;
            MlsEnvelope envelope = switch (format) {
                case 1 -> publicMessage(in);
                case 2 -> privateMessage(in);
                case 3 -> new MlsEnvelope(WireFormat.WELCOME, new byte[0], 0, ContentType.NONE, new byte[0]);
                case 4 -> new MlsEnvelope(WireFormat.GROUP_INFO, new byte[0], 0, ContentType.NONE, new byte[0]);
                case 5 -> new MlsEnvelope(WireFormat.KEY_PACKAGE, new byte[0], 0, ContentType.NONE, new byte[0]);
                default -> throw new InvalidMlsMessageException("unknown wire format");
            };
            decodeFully(message);
            return envelope;
        } catch (java.nio.BufferUnderflowException e) {
            throw new InvalidMlsMessageException("truncated MLS header");
        }
    }

    /** Decodes with bcmls; any failure (bcmls throws assorted runtime exceptions on garbage) means invalid. */
    static MLSMessage decodeFully(byte[] message) throws InvalidMlsMessageException {
        try {
            synchronized (Bcmls.LOCK) {
                return (MLSMessage) MLSInputStream.decode(message, MLSMessage.class);
            }
        } catch (Exception | StackOverflowError e) {
            throw new InvalidMlsMessageException("not a well-formed MLSMessage", e);
        }
    }

    private static MlsEnvelope publicMessage(ByteBuffer in) throws InvalidMlsMessageException {
        byte[] groupId = opaque(in);
        long epoch = in.getLong();
        int senderType = in.get() & 0xFF;
        switch (senderType) {
            case 1, 2 -> in.getInt(); // member leaf index, external sender index
            case 3, 4 -> { } // new_member_proposal, new_member_commit
            default -> throw new InvalidMlsMessageException("unknown sender type");
        }
        byte[] aad = opaque(in);
        return new MlsEnvelope(WireFormat.PUBLIC_MESSAGE, groupId, epoch, contentType(in.get()), aad);
    }

    private static MlsEnvelope privateMessage(ByteBuffer in) throws InvalidMlsMessageException {
        byte[] groupId = opaque(in);
        long epoch = in.getLong();
        ContentType type = contentType(in.get());
        byte[] aad = opaque(in);
        return new MlsEnvelope(WireFormat.PRIVATE_MESSAGE, groupId, epoch, type, aad);
    }

    private static ContentType contentType(byte code) throws InvalidMlsMessageException {
        return switch (code) {
            case 1 -> ContentType.APPLICATION;
            case 2 -> ContentType.PROPOSAL;
            case 3 -> ContentType.COMMIT;
            default -> throw new InvalidMlsMessageException("unknown content type");
        };
    }

    /** An RFC 9420 §2.1.2 variable-length vector. */
    private static byte[] opaque(ByteBuffer in) throws InvalidMlsMessageException {
        int first = in.get() & 0xFF;
        long length = switch (first >>> 6) {
            case 0 -> first & 0x3F;
            case 1 -> ((first & 0x3F) << 8) | (in.get() & 0xFF);
            case 2 -> ((long) (first & 0x3F) << 24) | ((in.get() & 0xFF) << 16) | ((in.get() & 0xFF) << 8) | (in.get() & 0xFF);
            default -> throw new InvalidMlsMessageException("invalid vector length prefix");
        };
        if (length > in.remaining()) {
            throw new InvalidMlsMessageException("vector longer than the message");
        }
        byte[] value = new byte[(int) length];
        in.get(value);
        return value;
    }

    public boolean isFor(byte[] group) {
        return Arrays.equals(groupId, group);
    }

    @Override
    public String toString() {
        return "MlsEnvelope[" + wireFormat + " " + contentType + " epoch " + epoch + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MlsEnvelope e && e.wireFormat == wireFormat && Arrays.equals(e.groupId, groupId)
                && e.epoch == epoch && e.contentType == contentType && Arrays.equals(e.authenticatedData, authenticatedData);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(groupId) * 31 + Long.hashCode(epoch);
    }
}
