package org.wardline.protocol.wire;

import org.wardline.protocol.ErrorCode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One protocol frame: a type, a request ID (chosen by the device, echoed by the server's OK or ERROR; 0 on
 * server pushes) and tagged fields. Immutable; build with {@link #of} and the {@code with} methods, encode and
 * decode with {@link FrameCodec}. {@link #toString()} names the type and the tags, never field values.
 */
public final class Frame {
    private final FrameType type;
    private final long requestId;
    private final Map<Tag, List<byte[]>> fields;

    private Frame(FrameType type, long requestId, Map<Tag, List<byte[]>> fields) {
        this.type = type;
        this.requestId = requestId;
        this.fields = fields;
    }

    /** A frame without fields; {@code requestId} must fit in 32 unsigned bits. */
    public static Frame of(FrameType type, long requestId) {
        if (requestId < 0 || requestId > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("request ID out of range");
        }
        return new Frame(type, requestId, new EnumMap<>(Tag.class));
    }

    /** A copy of this frame under another request ID. */
    public Frame withRequestId(long id) {
        Frame f = of(type, id);
        Map<Tag, List<byte[]>> copy = new EnumMap<>(Tag.class);
        fields.forEach((t, v) -> copy.put(t, new ArrayList<>(v)));
        return new Frame(type, id, copy);
    }

    public FrameType type() {
        return type;
    }

    public long requestId() {
        return requestId;
    }

    /** A copy with {@code value} added under {@code tag} (a second value only for repeatable tags). */
    public Frame with(Tag tag, byte[] value) {
        Map<Tag, List<byte[]>> copy = new EnumMap<>(Tag.class);
        fields.forEach((t, v) -> copy.put(t, new ArrayList<>(v)));
        List<byte[]> values = copy.computeIfAbsent(tag, t -> new ArrayList<>());
        if (!values.isEmpty() && !tag.repeatable()) {
            throw new IllegalArgumentException(tag + " is not repeatable");
        }
        values.add(value.clone());
        return new Frame(type, requestId, copy);
    }

    public Frame with(Tag tag, long value) {
        return with(tag, ByteBuffer.allocate(8).putLong(value).array());
    }

    public Frame with(Tag tag, String value) {
        return with(tag, value.getBytes(StandardCharsets.UTF_8));
    }

    public Frame withEach(Tag tag, Iterable<String> values) {
        Frame f = this;
        for (String v : values) {
            f = f.with(tag, v);
        }
        return f;
    }

    public boolean has(Tag tag) {
        return fields.containsKey(tag);
    }

    /** The value of a required field. */
    public byte[] bytes(Tag tag) throws WireException {
        List<byte[]> values = fields.get(tag);
        if (values == null) {
            throw new WireException(ErrorCode.PROTOCOL_MALFORMED, requestId, type + " needs field " + tag);
        }
        return values.get(0).clone();
    }

    /** A required u64 field. */
    public long u64(Tag tag) throws WireException {
        return toLong(tag, bytes(tag));
    }

    /** An optional u64 field, or {@code absent}. */
    public long u64(Tag tag, long absent) throws WireException {
        return has(tag) ? u64(tag) : absent;
    }

    /** A required UTF-8 field. */
    public String text(Tag tag) throws WireException {
        return toText(tag, bytes(tag));
    }

    /** Every value of a (repeatable) field, in frame order; empty when absent. */
    public List<byte[]> all(Tag tag) {
        List<byte[]> values = fields.getOrDefault(tag, List.of());
        List<byte[]> copies = new ArrayList<>(values.size());
        values.forEach(v -> copies.add(v.clone()));
        return copies;
    }

    public List<String> allText(Tag tag) throws WireException {
        List<String> out = new ArrayList<>();
        for (byte[] v : fields.getOrDefault(tag, List.of())) {
            out.add(toText(tag, v));
        }
        return out;
    }

    public List<Long> allU64(Tag tag) throws WireException {
        List<Long> out = new ArrayList<>();
        for (byte[] v : fields.getOrDefault(tag, List.of())) {
            out.add(toLong(tag, v));
        }
        return out;
    }

    Map<Tag, List<byte[]>> fields() {
        return Collections.unmodifiableMap(fields);
    }

    private long toLong(Tag tag, byte[] v) throws WireException {
        if (v.length != 8) {
            throw new WireException(ErrorCode.PROTOCOL_MALFORMED, requestId, tag + " must be 8 bytes");
        }
        long value = ByteBuffer.wrap(v).getLong();
        if (value < 0) {
            throw new WireException(ErrorCode.PROTOCOL_MALFORMED, requestId, tag + " is out of range");
        }
        return value;
    }

    private String toText(Tag tag, byte[] v) throws WireException {
        if (v.length > WireLimits.MAX_TEXT_BYTES) {
            throw new WireException(ErrorCode.PROTOCOL_MALFORMED, requestId, tag + " is too long");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(v)).toString();
        } catch (CharacterCodingException e) {
            throw new WireException(ErrorCode.PROTOCOL_MALFORMED, requestId, tag + " is not UTF-8");
        }
    }

    @Override
    public String toString() {
        return "Frame[" + type + " #" + requestId + " " + fields.keySet() + "]";
    }
}
