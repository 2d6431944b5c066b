package org.wardline.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.protocol.wire.WireException;

import java.util.Random;

/** The messaging wire format: a SEND frame (group ID, epoch, payload) encoded and decoded. */
@State(Scope.Thread)
public class FrameCodecBenchmark {
    @Param({"1024", "65536"})
    public int payloadBytes;

    private Frame frame;
    private byte[] encoded;

    @Setup
    public void setUp() {
        byte[] payload = new byte[payloadBytes];
        new Random(1).nextBytes(payload);
        frame = Frame.of(FrameType.SEND, 42).with(Tag.GROUP_ID, new byte[36]).with(Tag.EPOCH, 7).with(Tag.PAYLOAD, payload);
        encoded = FrameCodec.encode(frame);
    }

    @Benchmark
    public byte[] encode() {
        return FrameCodec.encode(frame);
    }

    @Benchmark
    public Frame decode() throws WireException {
        return FrameCodec.decode(encoded);
    }
}
