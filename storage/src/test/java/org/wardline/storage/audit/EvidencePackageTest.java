package org.wardline.storage.audit;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The sealed evidence package: intact verifies; an edited entry, manifest or signature, or another key, is named. */
class EvidencePackageTest {
    static final AuditSigner SIGNER = AuditSigner.generate("test audit key");

    static List<AuditEntry> chain(int n) {
        List<AuditEntry> out = new ArrayList<>();
        byte[] previous = AuditCanonical.GENESIS_HASH;
        for (int i = 1; i <= n; i++) {
            AuditEntry draft = new AuditEntry(i, Instant.parse("2026-12-07T05:00:00Z").plusSeconds(i), UUID.randomUUID(), null,
                    "127.0.0.1", "file.downloaded", "file", UUID.randomUUID().toString(), "success", "req-" + i, "",
                    "{\"bytes\":" + i + "}", previous, new byte[32]);
            byte[] hash = AuditCanonical.entryHash(previous, draft);
            out.add(new AuditEntry(draft.seq(), draft.occurredAt(), draft.actorUserId(), draft.actorDeviceId(), draft.sourceIp(),
                    draft.action(), draft.objectType(), draft.objectId(), draft.outcome(), draft.requestId(), draft.flags(),
                    draft.details(), previous, hash));
            previous = hash;
        }
        return out;
    }

    @Test
    void anIntactPackageVerifiesWithTheAuditKey() {
        byte[] sealed = EvidencePackage.seal(new JsonObject().put("reference", "INC-1"), chain(3), SIGNER);
        EvidencePackage.Verification v = EvidencePackage.verify(sealed, SIGNER.publicKey());
        assertThat(v.valid()).as(v.summary()).isTrue();
        assertThat(v.entries()).isEqualTo(3);
        assertThat(v.manifest().getString("reference")).isEqualTo("INC-1");
    }

    @Test
    void oneByteEditedInAnEntryNamesThatEntry() {
        byte[] sealed = EvidencePackage.seal(new JsonObject(), chain(3), SIGNER);
        String text = new String(sealed, StandardCharsets.ISO_8859_1);
        int second = text.indexOf("req-2");
        sealed[second + 4] = '7';
        EvidencePackage.Verification v = EvidencePackage.verify(sealed, SIGNER.publicKey());
        assertThat(v.valid()).isFalse();
        assertThat(v.summary()).contains("entry 2 of 3 (audit entry 2) was altered");
    }

    @Test
    void oneByteEditedInTheManifestBreaksTheSignature() {
        byte[] sealed = EvidencePackage.seal(new JsonObject().put("reference", "INC-20261207-ABCDEF"), chain(1), SIGNER);
        int at = new String(sealed, StandardCharsets.ISO_8859_1).indexOf("ABCDEF");
        sealed[at] = 'X';
        assertThat(EvidencePackage.verify(sealed, SIGNER.publicKey()).summary()).contains("signature does not match the content");
    }

    @Test
    void aPackageSignedByAnotherKeyOrDamagedIsRefused() {
        AuditSigner other = AuditSigner.generate("someone else");
        byte[] forged = EvidencePackage.seal(new JsonObject(), chain(1), other);
        assertThat(EvidencePackage.verify(forged, SIGNER.publicKey()).summary()).contains("not the audit key");
        byte[] sealed = EvidencePackage.seal(new JsonObject(), chain(1), SIGNER);
        sealed[sealed.length - 3] ^= 0x01;
        assertThat(EvidencePackage.verify(sealed, SIGNER.publicKey()).valid()).isFalse();
        assertThat(EvidencePackage.verify("not a package".getBytes(StandardCharsets.UTF_8), SIGNER.publicKey()).summary())
                .contains("not a readable CMS signed package");
    }
}
