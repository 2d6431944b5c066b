package org.wardline.protocol.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.wardline.protocol.ErrorCode;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FrameCodecTest {
    private static final Frame SAMPLE = Frame.of(FrameType.COMMIT, 42)
            .with(Tag.GROUP_ID, new byte[] {1, 2, 3})
            .with(Tag.EPOCH, 7)
            .with(Tag.PAYLOAD, new byte[300])
            .with(Tag.ADDED, "urn:wardline:user:a:device:b")
            .with(Tag.ADDED, "urn:wardline:user:c:device:d");

    @Test
    void roundTripKeepsTypeRequestIdAndFieldsInOrder() throws Exception {
        Frame decoded = FrameCodec.decode(FrameCodec.encode(SAMPLE));
        assertThat(decoded.type()).isEqualTo(FrameType.COMMIT);
        assertThat(decoded.requestId()).isEqualTo(42);
        assertThat(decoded.bytes(Tag.GROUP_ID)).containsExactly(1, 2, 3);
        assertThat(decoded.u64(Tag.EPOCH)).isEqualTo(7);
        assertThat(decoded.bytes(Tag.PAYLOAD)).hasSize(300);
        assertThat(decoded.allText(Tag.ADDED)).containsExactly("urn:wardline:user:a:device:b", "urn:wardline:user:c:device:d");
        assertThat(decoded.has(Tag.WELCOME)).isFalse();
    }

    @Test
    void theLayoutIsTheDocumentedOne() {
        byte[] encoded = FrameCodec.encode(Frame.of(FrameType.ACK, 0x01020304L).with(Tag.SEQ, 5));
        assertThat(HexFormat.of().formatHex(encoded))
                .isEqualTo("5701300001020304" + "0600000008" + "0000000000000005");
    }

    @Test
    void unknownTagsAreSkippedForForwardCompatibility() throws Exception {
        byte[] encoded = FrameCodec.encode(Frame.of(FrameType.HELLO, 1).with(Tag.CURSOR, 9));
        byte[] extended = ByteBuffer.allocate(encoded.length + 7).put(encoded).put((byte) 0x7E).putInt(2)
                .put(new byte[] {9, 9}).array();
        Frame decoded = FrameCodec.decode(extended);
        assertThat(decoded.u64(Tag.CURSOR)).isEqualTo(9);
    }

    static Stream<byte[]> malformed() {
        byte[] good = FrameCodec.encode(SAMPLE);
        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        byte[] badType = good.clone();
        badType[2] = 0x7F;
        byte[] reserved = good.clone();
        reserved[3] = 1;
        byte[] lengthPastEnd = FrameCodec.encode(Frame.of(FrameType.ACK, 3).with(Tag.SEQ, 1));
        lengthPastEnd[12] = 0x7F;
        byte[] repeated = ByteBuffer.allocate(8 + 2 * 13).put(FrameCodec.encode(Frame.of(FrameType.HELLO, 4)))
                .put((byte) Tag.CURSOR.code()).putInt(8).putLong(1)
                .put((byte) Tag.CURSOR.code()).putInt(8).putLong(2).array();
        return Stream.of(new byte[0], new byte[7], badMagic, badType, reserved, lengthPastEnd, repeated,
                Arrays.copyOf(good, good.length - 1), Arrays.copyOf(good, 10));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedAndTruncatedFramesAreProtocolErrors(byte[] frame) {
        WireException e = catchThrowableOfType(WireException.class, () -> FrameCodec.decode(frame));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_MALFORMED);
    }

    @Test
    void anOversizedFrameIsRefusedWithItsRequestId() {
        byte[] big = ByteBuffer.allocate(WireLimits.MAX_FRAME_BYTES + 100)
                .put(FrameCodec.encode(Frame.of(FrameType.SEND, 77))).array();
        WireException e = catchThrowableOfType(WireException.class, () -> FrameCodec.decode(big));
        assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(e.requestId()).isEqualTo(77);
        assertThatThrownBy(() -> FrameCodec.encode(Frame.of(FrameType.SEND, 1).with(Tag.PAYLOAD, new byte[WireLimits.MAX_FRAME_BYTES])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anotherVersionIsRefusedAsSuch() {
        byte[] v2 = FrameCodec.encode(Frame.of(FrameType.HELLO, 5));
        v2[1] = 2;
        assertThat(catchThrowableOfType(WireException.class, () -> FrameCodec.decode(v2)).code())
                .isEqualTo(ErrorCode.PROTOCOL_VERSION);
    }

    @Test
    void typedAccessorsRejectWrongShapesWithoutEchoingValues() throws Exception {
        Frame f = FrameCodec.decode(FrameCodec.encode(Frame.of(FrameType.SEND, 9)
                .with(Tag.EPOCH, new byte[] {1, 2}).with(Tag.SENDER, new byte[] {(byte) 0xC3, 0x28})));
        assertThat(catchThrowableOfType(WireException.class, () -> f.u64(Tag.EPOCH)).code()).isEqualTo(ErrorCode.PROTOCOL_MALFORMED);
        WireException notUtf8 = catchThrowableOfType(WireException.class, () -> f.text(Tag.SENDER));
        assertThat(notUtf8.getMessage()).doesNotContain("(");
        assertThat(catchThrowableOfType(WireException.class, () -> f.bytes(Tag.PAYLOAD)).requestId()).isEqualTo(9);
        assertThat(f.toString()).doesNotContain("1, 2");
    }

    /** Random and mutated inputs: the decoder answers each with a frame or a WireException, nothing else. */
    @Test
    void fuzzedInputOnlyEverYieldsFramesOrWireExceptions() {
        Random random = new Random(20261123);
        List<byte[]> seeds = List.of(FrameCodec.encode(SAMPLE), FrameCodec.encode(Frame.of(FrameType.HELLO, 1).with(Tag.CURSOR, 3)));
        int decoded = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(64)];
                random.nextBytes(input);
                if (input.length > 2) {
                    input[0] = 0x57;
                    input[1] = 1;
                }
            } else {
                byte[] seed = seeds.get(random.nextInt(seeds.size()));
                input = Arrays.copyOf(seed, Math.max(0, seed.length - random.nextInt(4)));
                for (int m = random.nextInt(4); m >= 0 && input.length > 0; m--) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            }
            try {
                Frame f = FrameCodec.decode(input);
                assertThat(FrameCodec.decode(FrameCodec.encode(f)).type()).isEqualTo(f.type());
                decoded++;
            } catch (WireException expected) {
                assertThat(expected.code()).isNotNull();
            }
        }
        assertThat(decoded).as("some mutations stay valid").isPositive();
    }
}
