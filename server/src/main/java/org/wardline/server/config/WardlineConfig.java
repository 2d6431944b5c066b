package org.wardline.server.config;

import org.wardline.protocol.Secret;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** The whole, validated configuration of one Wardline node. Build it with {@link ConfigLoader}. */
public record WardlineConfig(
        Path dataDir,
        Listener publicListener,
        Listener deviceListener,
        Listener opsListener,
        URI publicUrl,
        Tls tls,
        Pki pki,
        Database database,
        S3 s3,
        Keys keys,
        Malware malware,
        Uploads uploads,
        Mail mail,
        Auth auth,
        Cluster cluster,
        Alerts alerts,
        Retention retention,
        Backup backup,
        Delivery delivery,
        Branding branding) {

    /** This configuration for another node of the same deployment: its own listeners and cluster member settings. */
    public WardlineConfig forNode(Listener publicListener, Listener deviceListener, Listener opsListener, Cluster cluster) {
        return new WardlineConfig(dataDir, publicListener, deviceListener, opsListener, publicUrl, tls, pki, database, s3,
                keys, malware, uploads, mail, auth, cluster, alerts, retention, backup, delivery, branding);
    }

    /** A TCP listener; port 0 picks a free port. */
    public record Listener(String host, int port) {
    }

    public enum TlsEngine { AUTO, OPENSSL, JDK }

    /**
     * The server certificate (PEM chain and PKCS#8 key) both TLS listeners present, and the policy they enforce.
     * The key file may be encrypted; its passphrase is {@code keyPassphrase}.
     */
    public record Tls(Path certificate, Path privateKey, String minVersion, TlsEngine engine,
                      List<String> protocols, List<String> cipherSuites) {
    }

    /**
     * Wardline's own certificate authority for devices: where it lives, the passphrase of its keystore, how long
     * device certificates last, and how long a renewed device's previous certificate keeps working.
     */
    public record Pki(Path directory, Secret<String> passphrase, int deviceCertificateDays, java.time.Duration renewalGrace) {
    }

    public enum SslMode { DISABLE, VERIFY_CA, VERIFY_FULL }

    public record Database(String host, int port, String name, String user, Secret<String> password,
                           SslMode sslMode, int poolSize) {
    }

    /** @param timeout connect, read and write timeout of each S3 request: how long a hung S3 holds an upload */
    public record S3(URI endpoint, String region, String accessKey, Secret<String> secretKey, String bucket,
                     String quarantineBucket, java.time.Duration timeout) {
    }

    public record Keys(String provider, Path keystore, Secret<String> passphrase) {
    }

    /**
     * The clamd Wardline sends every upload to ({@code required=false} is an explicit, logged waiver), and the
     * directory of DLP rule packs ({@code default.yaml}, {@code orgs/…}).
     */
    public record Malware(boolean required, String host, int port, int timeoutMillis, Path rulePacks) {
    }

    /**
     * @param maxBytes        the largest upload accepted
     * @param abandonedAfter  how old a PENDING upload (one a crash interrupted) must be before it is discarded
     */
    public record Uploads(long maxBytes, java.time.Duration abandonedAfter) {
        public Uploads(long maxBytes) {
            this(maxBytes, java.time.Duration.ofHours(6));
        }
    }

    public enum SmtpSecurity { STARTTLS, TLS, NONE }

    /** SMTP for one-time codes to patients; {@code console} prints codes instead (dev mode only). */
    public record Mail(boolean console, String host, int port, SmtpSecurity security, String user,
                       Secret<String> password, String from) {
    }

    /**
     * Sign-in and sessions: Argon2id cost, token lifetimes, idle timeout (automatic logoff), step-up window,
     * lockout and the OpenID Connect issuers accounts may sign in through.
     */
    public record Auth(Argon2 argon2, int accessTokenMinutes, int refreshTokenHours, int idleTimeoutMinutes,
                       int stepUpMinutes, int lockoutThreshold, int lockoutAddressThreshold, int lockoutMaxSeconds, int breakGlassMinutes,
                       List<OidcIssuer> oidc) {
    }

    /**
     * Security alerts for the security officer: rule thresholds and the working-hours window, how often the audit
     * trail is read, and delivery by e-mail (active security officers plus {@code emailRecipients}) and webhook.
     */
    /** {@code auditVerifyInterval}: how often one node verifies the whole audit chain and its checkpoints. */
    public record Alerts(org.wardline.storage.audit.alert.AlertRulesConfig rules, java.time.Duration pollInterval,
                         boolean email, List<String> emailRecipients, Webhook webhook,
                         java.time.Duration auditVerifyInterval) {
    }

    /**
     * An HTTPS endpoint that receives each alert as JSON, signed with HMAC-SHA256 under {@code secret}; failed
     * deliveries are retried {@code maxAttempts} times in all, the wait doubling from {@code firstRetry}.
     * {@code trustCertificate} (PEM) is trusted in addition to the JVM's CAs, for a receiver with a private CA.
     */
    public record Webhook(URI url, Secret<String> secret, int maxAttempts, java.time.Duration firstRetry,
                          java.time.Duration timeout, Path trustCertificate) {
    }

    /** Argon2id cost: memory in KiB, passes, lanes. */
    public record Argon2(int memoryKiB, int iterations, int parallelism) {
    }

    /** An OpenID Connect provider: its issuer URL (discovery at {@code /.well-known/openid-configuration}) and Wardline's client ID there. */
    public record OidcIssuer(String name, URI issuer, String clientId) {
    }

    /**
     * Several nodes sharing PostgreSQL and S3, joined into one Vert.x event bus by Hazelcast: {@code host} is the
     * interface (an IP literal) both the Hazelcast member ({@code port}) and the event bus ({@code eventBusPort})
     * bind to, {@code publicHost} the address other nodes reach this one at, {@code members} the TCP-IP member
     * list ({@code host[:port]}, names allowed). Multicast and Hazelcast's phone-home are always off.
     */
    public record Cluster(boolean enabled, String name, String host, int port, int eventBusPort, String publicHost,
                          List<String> members, int joinWaitSeconds, EventBusTls tls) {
        /** A single node: no cluster manager, a local event bus. */
        public static Cluster disabled() {
            return new Cluster(false, "wardline", null, 5701, 5702, null, List.of(), 5, EventBusTls.OFF);
        }
    }

    /**
     * Mutual TLS between nodes' event buses: each presents {@code certificate} (PEM chain, PKCS#8 key) and accepts
     * only peers whose certificate chains to {@code trust} (a private CA for the cluster's nodes, never a public one).
     */
    public record EventBusTls(boolean enabled, Path certificate, Path privateKey, Path trust) {
        public static final EventBusTls OFF = new EventBusTls(false, null, null, null);
    }

    /** The retention job: how often it runs and how many items it deletes per batch (one audit entry per batch). */
    public record Retention(java.time.Duration interval, int batchSize) {
    }

    /**
     * Backups ({@code backup:}): {@code recipientKey} is the Tink HPKE public keyset file scheduled and unattended
     * backups are encrypted to (its private keyset stays offline); when {@code every} or {@code dailyAt} (in
     * {@code zone}) is set, the server writes a backup to {@code destination} (a directory or s3://bucket/prefix) on
     * that schedule and keeps the newest {@code retain}.
     */
    public record Backup(Path recipientKey, java.time.Duration every, java.time.LocalTime dailyAt, java.time.ZoneId zone,
                         String destination, int retain) {
        public static Backup none() {
            return new Backup(null, null, null, java.time.ZoneOffset.UTC, null, 7);
        }

        public boolean scheduled() {
            return every != null || dailyAt != null;
        }
    }

    /**
     * The messaging WebSocket's limits per connection and the device listener's event loops.
     *
     * @param framesPerSecond   sustained frames a connection may send per second (token bucket refill)
     * @param burst             frames it may send at once (token bucket size)
     * @param maxInFlight       requests of one connection being processed at once; beyond it, {@code request.rate_limited}
     * @param listenerInstances device listener instances, each on its own event loop (0: one per core)
     */
    public record Delivery(int framesPerSecond, int burst, int maxInFlight, int listenerInstances) {
    }

    /**
     * What the patient page shows of the organisation: its name, a PNG or JPEG logo (a file, at most
     * {@link #MAX_LOGO_BYTES}), and a contact line (who to call with a question). Each may be absent.
     */
    public record Branding(String organisation, Path logo, String contact) {
        public static final long MAX_LOGO_BYTES = 256 * 1024;
        public static final int MAX_TEXT = 200;
    }
}
