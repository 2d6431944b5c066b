package org.wardline.protocol.wire;

import org.wardline.protocol.ErrorCode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes frames of protocol version 1 (layout in protocol/PROTOCOL.md):
 * <pre>
 * magic 0x57 ('W') | version u8 | type u8 | reserved u8 (0) | request ID u32 | field*
 * field = tag u8 | length u32 | value (length bytes)
 * </pre>
 * The decoder reads only from the array it is given, checks every length against what remains before it
 * allocates, and answers any input, however broken, with a {@link Frame} or a {@link WireException}: never
 * another exception (the fuzz tests hold it to that).
 */
public final class FrameCodec {
    static final int MAGIC = 0x57;
    static final int HEADER_BYTES = 8;
    private static final int FIELD_HEADER_BYTES = 5;

    private FrameCodec() {
    }

    public static byte[] encode(Frame frame) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(MAGIC);
        out.write(WireLimits.VERSION);
        out.write(frame.type().code());
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) frame.requestId()).array());
        for (Map.Entry<Tag, List<byte[]>> e : frame.fields().entrySet()) {
            for (byte[] value : e.getValue()) {
                out.write(e.getKey().code());
                out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
                out.writeBytes(value);
            }
        }
        if (out.size() > WireLimits.MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("frame exceeds " + WireLimits.MAX_FRAME_BYTES + " bytes");
        }
        return out.toByteArray();
    }

    /** Decodes one frame, enforcing {@link WireLimits#MAX_FRAME_BYTES}. */
    public static Frame decode(byte[] data) throws WireException {
        return decode(data, WireLimits.MAX_FRAME_BYTES);
    }

    public static Frame decode(byte[] data, int maxBytes) throws WireException {
        if (data == null || data.length < HEADER_BYTES) {
            throw new WireException(ErrorCode.PROTOCOL_MALFORMED, 0, "frame shorter than its header");
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        int magic = in.get() & 0xFF;
        int version = in.get() & 0xFF;
        int typeCode = in.get() & 0xFF;
        int reserved = in.get() & 0xFF;
        long requestId = in.getInt() & 0xFFFF_FFFFL;
        if (magic != MAGIC) {
            throw new WireException(ErrorCode.PROTOCOL_MALFORMED, 0, "bad magic byte");
        }
        if (data.length > maxBytes) {
            throw new WireException(ErrorCode.PAYLOAD_TOO_LARGE, requestId, "frame exceeds the size limit");
        }
        if (version != WireLimits.VERSION) {
            throw new WireException(ErrorCode.PROTOCOL_VERSION, requestId, "unsupported protocol version");
        }
        FrameType type = FrameType.forCode(typeCode);
        if (type == null || reserved != 0) {
            throw new WireException(ErrorCode.PROTOCOL_MALFORMED, requestId, "unknown frame type");
        }
        Frame frame = Frame.of(type, requestId);
        int count = 0;
        while (in.hasRemaining()) {
            if (++count > WireLimits.MAX_FIELDS) {
                throw new WireException(ErrorCode.PROTOCOL_MALFORMED, requestId, "too many fields");
            }
            if (in.remaining() < FIELD_HEADER_BYTES) {
                throw new WireException(ErrorCode.PROTOCOL_MALFORMED, requestId, "truncated field header");
            }
            int tagCode = in.get() & 0xFF;
            long length = in.getInt() & 0xFFFF_FFFFL;
            if (length > in.remaining()) {
                throw new WireException(ErrorCode.PROTOCOL_MALFORMED, requestId, "field longer than the frame");
            }
            byte[] value = new byte[(int) length];
            in.get(value);
            Tag tag = Tag.forCode(tagCode);
            if (tag == null) {
                continue;
            }
            if (frame.has(tag) && !tag.repeatable()) {
                throw new WireException(ErrorCode.PROTOCOL_MALFORMED, requestId, "repeated field " + tag);
            }
            frame = frame.with(tag, value);
        }
        return frame;
    }
}
