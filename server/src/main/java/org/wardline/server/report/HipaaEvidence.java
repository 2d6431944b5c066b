package org.wardline.server.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.wardline.server.config.WardlineConfig;
import org.wardline.storage.audit.AuditLogConfig;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evidence for the HIPAA Security Rule's technical safeguards (45 CFR 164.312): for each standard, the values this
 * node is running with and the test classes that prove the behaviour (each named class exists in the repository;
 * {@code AdministrationTest} checks that). Secrets are never included: only whether they are set.
 */
public final class HipaaEvidence {
    /** One standard: its citation, title, what Wardline does, the running values and the proving tests. */
    public record Standard(String citation, String title, String implementation, Map<String, Object> configuration,
                           List<String> tests) {
        JsonObject toJson() {
            return new JsonObject().put("citation", citation).put("title", title).put("implementation", implementation)
                    .put("configuration", new JsonObject(new TreeMap<>(configuration))).put("tests", new JsonArray(tests));
        }
    }

    private HipaaEvidence() {
    }

    public static List<Standard> standards(WardlineConfig c, int auditRetentionDays) {
        WardlineConfig.Auth a = c.auth();
        return List.of(
                new Standard("164.312(a)(1)", "Access control",
                        "Unique user IDs; roles scoped to care teams with one permission per route; break-glass with reason, "
                                + "alert and review; automatic logoff on idle; files encrypted at rest with per-object AES-256-GCM keys",
                        Map.of("auth.idleTimeoutMinutes", a.idleTimeoutMinutes(), "auth.accessTokenMinutes", a.accessTokenMinutes(),
                                "auth.breakGlassMinutes", a.breakGlassMinutes(), "auth.stepUpMinutes", a.stepUpMinutes(),
                                "keys.provider", c.keys().provider(), "deviceListener.clientAuth", "required"),
                        List.of("RoleMatrixTest", "AccessControlTest", "SessionStoreTest", "EncryptingBlobStoreTest",
                                "AdministrationTest")),
                new Standard("164.312(b)", "Audit controls",
                        "Append-only hash-chained audit trail with signed checkpoints, verify and export commands, alert rules",
                        Map.of("audit.checkpointEveryEntries", AuditLogConfig.DEFAULT.checkpointEveryEntries(),
                                "audit.checkpointIntervalSeconds", AuditLogConfig.DEFAULT.checkpointInterval().toSeconds(),
                                "audit.retentionDays", auditRetentionDays),
                        List.of("AuditLogTest", "AuditVerifierTest", "AuditExporterTest", "AlertRulesTest")),
                new Standard("164.312(c)(1)", "Integrity",
                        "Authenticated encryption (Tink streaming AES-GCM) detects any change to stored files; SHA-256 of each "
                                + "upload; audit hash chain names the first edited or deleted entry",
                        Map.of("encryption", "AES256_GCM_HKDF_1MB (Tink streaming AEAD)", "uploads.maxBytes", c.uploads().maxBytes()),
                        List.of("EncryptingBlobStoreTest", "ObjectLifecycleTest", "AuditVerifierTest")),
                new Standard("164.312(d)", "Person or entity authentication",
                        "Argon2id passwords, mandatory TOTP for PHI, admin and security roles, lockout, devices proven by "
                                + "client certificates from Wardline's CA bound to user and device",
                        Map.of("auth.argon2.memoryKiB", a.argon2().memoryKiB(), "auth.argon2.iterations", a.argon2().iterations(),
                                "auth.lockoutThreshold", a.lockoutThreshold(), "pki.deviceCertificateDays", c.pki().deviceCertificateDays(),
                                "auth.oidcIssuers", a.oidc().size()),
                        List.of("SignInFlowTest", "TotpTest", "PasswordHasherTest", "LoginThrottleTest", "DeviceAccessTest")),
                new Standard("164.312(e)(1)", "Transmission security",
                        "TLS on every listener carrying PHI (1.2 with ECDHE+AEAD only, or 1.3); mutual TLS for devices; "
                                + "PostgreSQL, S3 and SMTP over TLS unless on loopback",
                        Map.of("tls.minVersion", c.tls().minVersion(), "tls.protocols", String.join(",", c.tls().protocols()),
                                "tls.cipherSuites", c.tls().cipherSuites().size(), "database.sslMode", c.database().sslMode().name(),
                                "storage.s3.scheme", c.s3().endpoint().getScheme()),
                        List.of("DeviceAccessTest", "ConfigLoaderTest", "DevServerTest")));
    }

    public static JsonObject toJson(WardlineConfig c, int auditRetentionDays) {
        JsonArray a = new JsonArray();
        standards(c, auditRetentionDays).forEach(s -> a.add(s.toJson()));
        return new JsonObject().put("rule", "HIPAA Security Rule, technical safeguards (45 CFR 164.312)")
                .put("generatedAt", Instant.now().toString()).put("standards", a);
    }

    public static String toCsv(WardlineConfig c, int auditRetentionDays) {
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (Standard s : standards(c, auditRetentionDays)) {
            new TreeMap<>(s.configuration()).forEach((k, v) -> rows.add(List.of(s.citation(), s.title(), k, String.valueOf(v),
                    String.join(";", s.tests()))));
        }
        return Csv.of(List.of("citation", "standard", "setting", "value", "tests"), rows);
    }
}
