package org.wardline.server.cluster;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import org.wardline.server.audit.AuditKeys;
import org.wardline.server.auth.AuthKeys;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.pki.CertificateAuthority;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * Checks that this node holds the same keys as every other node sharing its database: the first node records a
 * fingerprint of each, later nodes compare. A node started with an empty data directory would otherwise create
 * its own CA, audit key and sign-in keys, and issue certificates and tokens the rest of the cluster rejects.
 */
public final class SharedKeys {
    private static final byte[] CHECK_LABEL = "wardline shared-key check v1".getBytes(StandardCharsets.UTF_8);

    private final Map<String, String> fingerprints = new LinkedHashMap<>();

    /** The keys every node must share: the CA root, the audit signing certificate, the sign-in keys. Reads a file. */
    public static SharedKeys ofNode(WardlineConfig config, CertificateAuthority ca, AuthKeys authKeys) {
        byte[] auditCertificate;
        try {
            auditCertificate = Files.readAllBytes(config.pki().directory().resolve(AuditKeys.CERTIFICATE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SharedKeys keys = new SharedKeys().withPublic("pki.root", ca.rootFingerprint().getBytes(StandardCharsets.US_ASCII))
                .withPublic("audit.signing", auditCertificate)
                .withSecret("auth.keys", authKeys.secretWrappingKey())
                .withIssuer(config.publicUrl());
        WardlineConfig.EventBusTls eventBus = config.cluster().tls();
        if (eventBus.enabled() && eventBus.trust() != null) {
            try {
                keys.withPublic("cluster.eventBusTls.trust", Files.readAllBytes(eventBus.trust()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keys;
    }

    /**
     * The issuer named in every token ({@code server.publicUrl}): a node with another one refuses, with 401, the
     * tokens of every device that fails over to it.
     */
    public SharedKeys withIssuer(java.net.URI publicUrl) {
        String issuer = publicUrl.toString().replaceAll("/+$", "");
        return withPublic("server.publicUrl", issuer.getBytes(StandardCharsets.UTF_8));
    }

        /** A public value's fingerprint: SHA-256 of its bytes (a certificate's DER, a key's encoding). */
    public SharedKeys withPublic(String name, byte[] value) {
        try {
            fingerprints.put(name, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** A secret key's check value: HMAC-SHA256 under the key of a fixed label, which reveals nothing of the key. */
    public SharedKeys withSecret(String name, SecretKey key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            fingerprints.put(name, HexFormat.of().formatHex(mac.doFinal(CHECK_LABEL)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /**
     * Records the fingerprints not yet known and compares the rest; fails naming every key that differs from
     * the one the cluster recorded.
     */
    public Future<Void> verify(Pool pool) {
        List<Tuple> rows = fingerprints.entrySet().stream().map(e -> Tuple.of(e.getKey(), e.getValue())).toList();
        return pool.preparedQuery("INSERT INTO cluster_key_fingerprints (name, fingerprint) VALUES ($1, $2) "
                        + "ON CONFLICT (name) DO NOTHING").executeBatch(rows)
                .compose(v -> pool.preparedQuery("SELECT name, fingerprint FROM cluster_key_fingerprints WHERE name = ANY($1)")
                        .execute(Tuple.of(fingerprints.keySet().toArray(String[]::new))))
                .compose(recorded -> {
                    List<String> differing = new ArrayList<>();
                    for (Row r : recorded) {
                        if (!r.getString("fingerprint").equals(fingerprints.get(r.getString("name")))) {
                            differing.add(r.getString("name"));
                        }
                    }
                    return differing.isEmpty() ? Future.<Void>succeededFuture() : Future.failedFuture(new IllegalStateException(
                            "this node's " + String.join(", ", differing) + " differ from the cluster's: every node needs the "
                                    + "same server.publicUrl, cluster CA, pki directory and auth key file; copy them from "
                                    + "the other nodes (see config/cluster/README.md)"));
                });
    }
}
