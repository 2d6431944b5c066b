package org.wardline.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.wardline.storage.audit.AuditCanonical;
import org.wardline.storage.audit.AuditEntry;

import java.time.Instant;
import java.util.UUID;

/** The hash an audit append computes: SHA-256 over the previous hash and the entry's canonical encoding. */
@State(Scope.Thread)
public class AuditHashBenchmark {
    private AuditEntry entry;
    private byte[] previous;

    @Setup
    public void setUp() {
        entry = new AuditEntry(1_000_000, Instant.parse("2026-01-01T00:00:00.123456Z"), UUID.randomUUID(), UUID.randomUUID(),
                "10.0.0.7", "file.download", "file", UUID.randomUUID().toString(), "success", UUID.randomUUID().toString(),
                "", "{\"bytes\":1048576,\"contentType\":\"application/pdf\"}", null, null);
        previous = AuditCanonical.entryHash(AuditCanonical.GENESIS_HASH, entry);
    }

    @Benchmark
    public byte[] appendHash() {
        return AuditCanonical.entryHash(previous, entry);
    }
}
