package org.wardline.storage.audit;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * A sealed evidence package: the audit entries in an incident's scope, each with its chain hashes, and a manifest
 * (what the package covers, when and by whom it was made), as the content of a CMS SignedData (RFC 5652) signed with
 * the audit key, its certificate inside. It verifies offline ({@code wardline audit verify --package}, or any CMS
 * tool such as {@code openssl cms -verify}): the signature must be the audit key's, and every entry's hash must match
 * its content, so an edited byte is named (the entry it falls in, or the signature). Entries are a selection, so
 * their chain links are not checked here; against the live trail, {@code wardline audit verify} checks those.
 */
public final class EvidencePackage {
    public static final String FORMAT = "wardline.evidence.v1";

    private EvidencePackage() {
    }

    /** Entries in {@code [from, to)} whose actor is one of the users or devices, or whose object is one of the objects. */
    public static Future<List<AuditEntry>> entries(Pool pool, Instant from, Instant to, Collection<UUID> actors,
                                                   Collection<UUID> devices, Collection<String> objectIds) {
        return pool.preparedQuery("SELECT " + AuditRows.COLUMNS + " FROM audit_entries WHERE occurred_at >= $1 AND occurred_at < $2 "
                        + "AND (actor_user_id = ANY($3) OR actor_device_id = ANY($4) OR object_id = ANY($5)) ORDER BY seq")
                .execute(Tuple.of(OffsetDateTime.ofInstant(from, ZoneOffset.UTC), OffsetDateTime.ofInstant(to, ZoneOffset.UTC),
                        actors.toArray(UUID[]::new), devices.toArray(UUID[]::new), objectIds.toArray(String[]::new)))
                .map(rows -> {
                    List<AuditEntry> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(AuditRows.fromRow(r));
                    }
                    return out;
                });
    }

    /** The content (manifest and entries) signed into a DER-encoded CMS SignedData. */
    public static byte[] seal(JsonObject manifest, List<AuditEntry> entries, AuditSigner signer) {
        JsonArray list = new JsonArray();
        entries.forEach(e -> list.add(json(e)));
        byte[] content = new JsonObject().put("format", FORMAT).put("manifest", manifest).put("entries", list)
                .encodePrettily().getBytes(StandardCharsets.UTF_8);
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new AuditKeySigner(signer), signer.certificate()));
            generator.addCertificate(new JcaX509CertificateHolder(signer.certificate()));
            return generator.generate(new CMSProcessableByteArray(content), true).getEncoded();
        } catch (OperatorCreationException | CMSException | CertificateEncodingException | IOException e) {
            throw new IllegalStateException("the evidence package could not be signed", e);
        }
    }

    /** What verifying a package found: valid, or the first problem named. */
    public record Verification(boolean valid, String problem, int entries, JsonObject manifest) {
        public String summary() {
            return valid ? "evidence package intact: " + entries + " audit entries, signature by the audit key verified"
                    : "evidence package NOT intact: " + problem;
        }
    }

    /** Verifies {@code sealed} against the audit certificate's public key. */
    public static Verification verify(byte[] sealed, PublicKey auditKey) {
        CMSSignedData signed;
        byte[] content;
        try {
            signed = new CMSSignedData(sealed);
            content = (byte[]) signed.getSignedContent().getContent();
        } catch (CMSException | RuntimeException e) {
            return new Verification(false, "not a readable CMS signed package (its structure is damaged)", 0, null);
        }
        JsonObject doc;
        try {
            doc = new JsonObject(new String(content, StandardCharsets.UTF_8));
        } catch (DecodeException | ClassCastException e) {
            return new Verification(false, "the content is not the package's JSON any more (edited)", 0, null);
        }
        JsonArray entries = doc.getJsonArray("entries", new JsonArray());
        for (int i = 0; i < entries.size(); i++) {
            String problem = entryProblem(entries.getValue(i));
            if (problem != null) {
                return new Verification(false, "entry " + (i + 1) + " of " + entries.size() + " " + problem, entries.size(),
                        doc.getJsonObject("manifest"));
            }
        }
        String signature = signatureProblem(signed, auditKey);
        if (signature != null) {
            return new Verification(false, signature, entries.size(), doc.getJsonObject("manifest"));
        }
        if (!FORMAT.equals(doc.getString("format"))) {
            return new Verification(false, "not a Wardline evidence package", entries.size(), null);
        }
        return new Verification(true, null, entries.size(), doc.getJsonObject("manifest"));
    }

    private static String signatureProblem(CMSSignedData signed, PublicKey auditKey) {
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            return "the package must carry exactly one signature";
        }
        SignerInformation signer = signers.iterator().next();
        @SuppressWarnings("unchecked")
        Store<X509CertificateHolder> certs = signed.getCertificates();
        Collection<X509CertificateHolder> matches = certs.getMatches(signer.getSID());
        if (matches.isEmpty()) {
            return "the signer's certificate is missing";
        }
        X509CertificateHolder cert = matches.iterator().next();
        try {
            if (!Arrays.equals(cert.getSubjectPublicKeyInfo().getEncoded(), auditKey.getEncoded())) {
                return "signed by a key that is not the audit key (key " + AuditSigner.keyId(auditKey).substring(0, 16) + "… expected)";
            }
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert))) {
                return "the signature does not match the content (the manifest or the signature was edited)";
            }
        } catch (org.bouncycastle.cms.CMSSignerDigestMismatchException e) {
            return "the signature does not match the content (the manifest or the signature was edited)";
        } catch (CMSException | OperatorCreationException | IOException | java.security.cert.CertificateException e) {
            return "the signature does not verify (" + e.getClass().getSimpleName() + ")";
        }
        return null;
    }

    /** Null when the entry's hash matches its content, else what is wrong, naming its sequence number. */
    private static String entryProblem(Object value) {
        if (!(value instanceof JsonObject e) || e.getValue("seq") == null) {
            return "is not an audit entry (edited)";
        }
        try {
            AuditEntry entry = fromJson(e);
            byte[] computed = AuditCanonical.entryHash(entry.previousHash(), entry);
            return Arrays.equals(computed, entry.entryHash()) ? null
                    : "(audit entry " + entry.seq() + ") was altered: its hash does not match its content";
        } catch (RuntimeException bad) {
            return "(audit entry " + e.getValue("seq") + ") is unreadable (edited)";
        }
    }

    static JsonObject json(AuditEntry e) {
        HexFormat hex = HexFormat.of();
        return new JsonObject().put("seq", e.seq()).put("occurredAt", AuditCanonical.formatTime(e.occurredAt()))
                .put("actorUserId", e.actorUserId() == null ? null : e.actorUserId().toString())
                .put("actorDeviceId", e.actorDeviceId() == null ? null : e.actorDeviceId().toString())
                .put("sourceIp", e.sourceIp()).put("action", e.action()).put("objectType", e.objectType()).put("objectId", e.objectId())
                .put("outcome", e.outcome()).put("requestId", e.requestId()).put("flags", e.flags()).put("details", e.details())
                .put("previousHash", hex.formatHex(e.previousHash())).put("entryHash", hex.formatHex(e.entryHash()));
    }

    static AuditEntry fromJson(JsonObject j) {
        HexFormat hex = HexFormat.of();
        return new AuditEntry(j.getLong("seq"), Instant.parse(j.getString("occurredAt")), uuid(j.getString("actorUserId")),
                uuid(j.getString("actorDeviceId")), j.getString("sourceIp"), j.getString("action"), j.getString("objectType"),
                j.getString("objectId"), j.getString("outcome"), j.getString("requestId"), j.getString("flags"),
                j.getString("details"), hex.parseHex(j.getString("previousHash")), hex.parseHex(j.getString("entryHash")));
    }

    private static UUID uuid(String s) {
        return s == null ? null : UUID.fromString(s);
    }

    /** A CMS content signer that signs through {@link AuditSigner}, so the audit private key never leaves it. */
    private static final class AuditKeySigner implements ContentSigner {
        private final AuditSigner signer;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();

        AuditKeySigner(AuditSigner signer) {
            this.signer = signer;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return new DefaultSignatureAlgorithmIdentifierFinder().find(signer.algorithm());
        }

        @Override
        public OutputStream getOutputStream() {
            return data;
        }

        @Override
        public byte[] getSignature() {
            return signer.sign(data.toByteArray());
        }
    }
}
