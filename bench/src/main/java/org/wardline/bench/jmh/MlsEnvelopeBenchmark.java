package org.wardline.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceMlsIdentity;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.InvalidMlsMessageException;
import org.wardline.protocol.mls.MlsEnvelope;
import org.wardline.protocol.mls.MlsSuites;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** What the server reads of every relayed message: the MLS envelope of a 1 KiB application message. */
@State(Scope.Thread)
public class MlsEnvelopeBenchmark {
    private byte[] message;

    @Setup
    public void setUp() throws Exception {
        DeviceMlsIdentity identity = DeviceMlsIdentity.generate(DeviceUri.of(UUID.randomUUID(), UUID.randomUUID()), MlsSuites.DEFAULT_ID);
        ConversationGroup group = ConversationGroup.create(identity, "jmh-group".getBytes(StandardCharsets.US_ASCII));
        message = group.protect(new byte[1024]);
        MlsEnvelope.inspect(message);
    }

    @Benchmark
    public MlsEnvelope inspect() throws InvalidMlsMessageException {
        return MlsEnvelope.inspect(message);
    }
}
