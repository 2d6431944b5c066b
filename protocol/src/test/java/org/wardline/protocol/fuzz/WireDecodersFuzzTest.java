package org.wardline.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.wardline.protocol.mls.InvalidMlsMessageException;
import org.wardline.protocol.mls.MlsEnvelope;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.WireException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes a device sends, fuzzed (Jazzer). In the test suite each target replays its regression inputs under
 * {@code src/test/resources/org/wardline/protocol/fuzz/WireDecodersFuzzTestInputs/<method>}; a long run is
 * {@code ./wardline fuzz protocol WireDecodersFuzzTest#<method> 10m} (see README, Fuzzing).
 */
class WireDecodersFuzzTest {

    /** A frame either decodes to one that re-encodes stably, or is refused with a typed wire error. */
    @FuzzTest(maxDuration = "10m")
    void frameCodec(byte[] data) {
        Frame frame;
        try {
            frame = FrameCodec.decode(data);
        } catch (WireException refused) {
            return;
        }
        byte[] encoded = FrameCodec.encode(frame);
        try {
            assertThat(FrameCodec.encode(FrameCodec.decode(encoded))).isEqualTo(encoded);
        } catch (WireException e) {
            throw new AssertionError("a frame the codec produced does not decode", e);
        }
    }

    /** MLS envelope inspection refuses what it cannot read with its own exception, never another. */
    @FuzzTest(maxDuration = "10m")
    void mlsEnvelope(byte[] data) {
        try {
            MlsEnvelope.inspect(data);
        } catch (InvalidMlsMessageException refused) {
            // expected for almost every input
        }
    }
}
