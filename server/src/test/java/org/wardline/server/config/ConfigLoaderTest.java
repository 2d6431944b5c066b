package org.wardline.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    private static final String VALID = """
            server:
              public: {host: 0.0.0.0, port: 443}
              device: {host: 0.0.0.0, port: 8443}
              publicUrl: https://wardline.example.org
            tls:
              certificate: /etc/wardline/server.crt
              privateKey: /etc/wardline/server.key
            pki:
              passphrase: ca-pass
            database:
              host: 127.0.0.1
              password: pw
            storage:
              s3:
                endpoint: https://s3.example.org
                accessKey: wardline
                secretKey: s3-secret
            keys:
              passphrase: keys-pass
            dlp:
              rulePacks: %s
              malware: {host: 127.0.0.1, port: 3310}
            mail:
              smtp: {host: smtp.example.org}
            """.formatted(java.nio.file.Path.of(System.getProperty("wardline.repo.root", ".."), "config/dlp").toAbsolutePath());

    private static WardlineConfig load(String yaml, Map<String, String> env) {
        return ConfigLoader.load(ConfigLoader.parseYaml(yaml, "test.yaml"), env, Path.of("/etc/wardline"));
    }

    @Test
    void aValidFileLoadsWithSecureDefaults() {
        WardlineConfig c = load(VALID, Map.of());
        assertThat(c.publicListener().port()).isEqualTo(443);
        assertThat(c.opsListener().host()).isEqualTo("127.0.0.1");
        assertThat(c.database().sslMode()).isEqualTo(WardlineConfig.SslMode.VERIFY_FULL);
        assertThat(c.malware().required()).isTrue();
        assertThat(c.tls().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(c.tls().cipherSuites()).allSatisfy(s -> assertThat(s).matches("TLS_(AES|CHACHA20|ECDHE_).*(GCM|POLY1305).*"));
        assertThat(c.uploads().maxBytes()).isEqualTo(2L << 30);
        assertThat(c.s3().secretKey().toString()).isEqualTo("[REDACTED]");
    }

    @Test
    void threeMistakesAreReportedTogetherWithTheirPaths() {
        String broken = VALID
                .replace("endpoint: https://s3.example.org", "region: eu-west-1")
                .replace("port: 8443", "port: 99999")
                .replace("tls:\n", "tls:\n  minVersion: TLSv1.1\n");
        assertThatThrownBy(() -> load(broken, Map.of()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                "storage.s3.endpoint: required",
                                "server.device.port: must be between 0 and 65535 (was 99999)",
                                "tls.minVersion: must be TLSv1.2 or TLSv1.3 (was TLSv1.1); older versions are refused"))
                .hasMessageStartingWith("3 configuration problem(s)");
    }

    @Test
    void environmentVariablesOverrideTheFile() {
        WardlineConfig c = load(VALID, Map.of("WARDLINE_STORAGE_S3_SECRET_KEY", "from-env",
                "WARDLINE_SERVER_PUBLIC_PORT", "8444"));
        assertThat(c.s3().secretKey().reveal()).isEqualTo("from-env");
        assertThat(c.publicListener().port()).isEqualTo(8444);
    }

    @Test
    void aMissingSecretNamesItsEnvironmentVariable() {
        assertThatThrownBy(() -> load(VALID.replace("secretKey: s3-secret", ""), Map.of()))
                .hasMessageContaining("storage.s3.secretKey: required (set it here or in WARDLINE_STORAGE_S3_SECRET_KEY)");
    }

    @Test
    void unknownSettingsAreReportedSoTyposDoNotPassSilently() {
        assertThatThrownBy(() -> load(VALID + "uplods:\n  maxBytes: 1GiB\n", Map.of()))
                .hasMessageContaining("uplods.maxBytes: unknown setting");
    }

    /** Found by Jazzer (OutsideInputFuzzTest#configurationLoader): a number as a nested key threw ClassCastException. */
    @Test
    void keysThatAreNotStringsAreUnknownSettingsNotACrash() {
        assertThatThrownBy(() -> load(VALID + "uploads:\n  7: on\n  limits: {1}\n", Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("uploads.7: unknown setting")
                .hasMessageContaining("uploads.limits.1: unknown setting");
    }

    /** Found by Jazzer too: a logo path without a file name threw NullPointerException. */
    @Test
    void aLogoPathWithoutAFileNameIsAProblemNotACrash() {
        assertThatThrownBy(() -> load(VALID + "branding:\n  logo: /\n", Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("branding.logo: no such file: /");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "TLS turned off          | tls:\\n                     | tls:\\n  enabled: false\\n                        | tls.enabled: TLS cannot be turned off",
        "remote database no TLS  | database:\\n  host: 127.0.0.1 | database:\\n  host: db.example.org\\n  sslMode: disable | database.sslMode: disable is only allowed for a PostgreSQL on loopback",
        "remote S3 over http     | https://s3.example.org      | http://s3.example.org                          | storage.s3.endpoint: plain http is only allowed on loopback",
        "remote clamd            | malware: {host: 127.0.0.1   | malware: {host: clamd.example.org              | dlp.malware.host: clamd speaks no TLS",
        "no scanner, no waiver   | 'malware: {host: 127.0.0.1, port: 3310}' | 'malware: {port: 3310}'         | dlp.malware.host: required",
        "SMTP without TLS        | smtp: {host: smtp.example.org} | 'smtp: {host: smtp.example.org, security: none}' | mail.smtp.security: none is only allowed",
        "listeners share a port  | port: 8443                  | port: 443                                      | port 443 is already used",
    })
    void unsafeSettingsAreRefused(String name, String from, String to, String expected) {
        String yaml = VALID.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
        assertThat(yaml).as("the test's replacement applied").isNotEqualTo(VALID);
        assertThatThrownBy(() -> load(yaml, Map.of())).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void authHasSafeDefaults() {
        WardlineConfig.Auth a = load(VALID, Map.of()).auth();
        assertThat(a.argon2()).isEqualTo(new WardlineConfig.Argon2(47_104, 1, 1));
        assertThat(a.accessTokenMinutes()).isEqualTo(10);
        assertThat(a.idleTimeoutMinutes()).isEqualTo(15);
        assertThat(a.lockoutThreshold()).isEqualTo(5);
        assertThat(a.oidc()).isEmpty();
    }

    @Test
    void authSettingsAndOidcIssuersAreReadAndEnvironmentOverridesThem() {
        WardlineConfig.Auth a = load(VALID + """
                auth:
                  argon2: {memoryKiB: 65536, iterations: 2}
                  accessTokenMinutes: 5
                  oidc:
                    hospital: {issuer: https://idp.example.org/realms/h, clientId: wardline}
                    partner: {issuer: http://127.0.0.1:8080, clientId: wl}
                """, Map.of("WARDLINE_AUTH_IDLE_TIMEOUT_MINUTES", "5")).auth();
        assertThat(a.argon2()).isEqualTo(new WardlineConfig.Argon2(65_536, 2, 1));
        assertThat(a.accessTokenMinutes()).isEqualTo(5);
        assertThat(a.idleTimeoutMinutes()).isEqualTo(5);
        assertThat(a.oidc()).extracting(WardlineConfig.OidcIssuer::name).containsExactly("hospital", "partner");
        assertThat(a.oidc().get(0).clientId()).isEqualTo("wardline");
    }

    @Test
    void unsafeAuthSettingsAreReportedTogether() {
        assertThatThrownBy(() -> load(VALID + """
                auth:
                  argon2: {memoryKiB: 1024}
                  accessTokenMinutes: 60
                  idleTimeoutMinutes: 0
                  oidc:
                    remote: {issuer: http://idp.example.org}
                """, Map.of())).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("auth.argon2.memoryKiB: must be between 19456")
                .hasMessageContaining("auth.accessTokenMinutes: must be between 5 and 15")
                .hasMessageContaining("auth.idleTimeoutMinutes: must be between 1")
                .hasMessageContaining("auth.oidc.remote.issuer: plain http is only allowed on loopback")
                .hasMessageContaining("auth.oidc.remote.clientId: required");
    }

    @Test
    void anExplicitWaiverRunsWithoutAScanner() {
        WardlineConfig c = load(VALID.replace("malware: {host: 127.0.0.1, port: 3310}", "malware: {required: false}"), Map.of());
        assertThat(c.malware().required()).isFalse();
        assertThat(c.malware().host()).isNull();
    }

    @Test
    void garbageIsAClearErrorNotAStackTrace() {
        assertThatThrownBy(() -> ConfigLoader.parseYaml("server: [unclosed", "bad.yaml"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("bad.yaml: not valid YAML");
        assertThatThrownBy(() -> ConfigLoader.parseYaml("- a list", "list.yaml"))
                .hasMessageContaining("list.yaml: must be a YAML mapping");
        assertThatThrownBy(() -> ConfigLoader.parseYaml("a: !!java.io.File /etc/passwd", "tag.yaml"))
                .isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void sizesTakeBinaryUnits() {
        assertThat(ConfigTree.parseSize("64KiB")).isEqualTo(65536L);
        assertThat(ConfigTree.parseSize("2 GiB")).isEqualTo(2L << 30);
        assertThat(ConfigTree.parseSize("512")).isEqualTo(512L);
        assertThat(ConfigTree.envName("storage.s3.quarantineBucket")).isEqualTo("WARDLINE_STORAGE_S3_QUARANTINE_BUCKET");
    }

    @Test
    void alertsHaveDefaultsAndReadThresholdsWindowsAndTheWebhook() {
        WardlineConfig.Alerts a = load(VALID, Map.of()).alerts();
        assertThat(a.rules().failedSignIns().threshold()).isEqualTo(10);
        assertThat(a.rules().offHours().start()).isEqualTo(java.time.LocalTime.of(7, 0));
        assertThat(a.email()).isTrue();
        assertThat(a.webhook()).isNull();

        WardlineConfig.Alerts set = load(VALID + """
                alerts:
                  failedSignIns: {threshold: 4, windowSeconds: 60}
                  offHours: {zone: Europe/Paris, start: "08:30", end: "18:00", workdays: [MONDAY, TUESDAY]}
                  email: {recipients: [soc@example.org]}
                  webhook: {url: https://siem.example.org/hook, maxAttempts: 4}
                """, Map.of("WARDLINE_ALERTS_WEBHOOK_SECRET", "0123456789abcdef0123456789abcdef")).alerts();
        assertThat(set.rules().failedSignIns().threshold()).isEqualTo(4);
        assertThat(set.rules().failedSignIns().window()).isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(set.rules().offHours().zone()).isEqualTo(java.time.ZoneId.of("Europe/Paris"));
        assertThat(set.rules().offHours().start()).isEqualTo(java.time.LocalTime.of(8, 30));
        assertThat(set.rules().offHours().workdays()).containsExactlyInAnyOrder(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.TUESDAY);
        assertThat(set.emailRecipients()).containsExactly("soc@example.org");
        assertThat(set.webhook().maxAttempts()).isEqualTo(4);
        assertThat(set.webhook().secret().toString()).isEqualTo("[REDACTED]");
    }

    @Test
    void everyAlertsMistakeIsReportedTogether() {
        String broken = VALID + """
                alerts:
                  failedSignIns: {threshold: 1}
                  offHours: {zone: Mars/Olympus, start: "19:00", end: "07:00", workdays: [FUNDAY]}
                  email: {recipients: [not-an-address]}
                  webhook: {url: http://siem.example.org/hook, secret: short}
                """;
        assertThatThrownBy(() -> load(broken, Map.of()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .contains("alerts.failedSignIns.threshold: must be between 2 and 100000 (was 1)",
                                "alerts.offHours.zone: not a time zone (use a name such as Europe/Paris or UTC)",
                                "alerts.offHours.start: must be before alerts.offHours.end",
                                "alerts.offHours.workdays: not a day of the week: FUNDAY (use MONDAY … SUNDAY)",
                                "alerts.email.recipients: not an e-mail address: not-an-address",
                                "alerts.webhook.url: plain http is only allowed on loopback; use https",
                                "alerts.webhook.secret: must be at least 32 characters (a random value shared with the receiver)"));
    }

    @Test
    void retentionJobSettingsHaveDefaultsAndBounds() {
        WardlineConfig c = load(VALID, Map.of());
        assertThat(c.retention().interval()).isEqualTo(java.time.Duration.ofMinutes(60));
        assertThat(c.retention().batchSize()).isEqualTo(200);
        assertThat(load(VALID, Map.of("WARDLINE_RETENTION_INTERVAL_MINUTES", "5")).retention().interval())
                .isEqualTo(java.time.Duration.ofMinutes(5));
        assertThatThrownBy(() -> load(VALID + "retention: {intervalMinutes: 0, batchSize: 0}\n", Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("retention.intervalMinutes: must be between 1")
                .hasMessageContaining("retention.batchSize: must be between 1");
    }

    @Test
    void deliveryLimitsHaveDefaultsOverridesAndBounds() {
        WardlineConfig c = load(VALID, Map.of());
        assertThat(c.delivery()).isEqualTo(new WardlineConfig.Delivery(500, 1_000, 64, 0));
        WardlineConfig tuned = load(VALID + "delivery: {framesPerSecond: 2000, burst: 4000, listenerInstances: 2}\n",
                Map.of("WARDLINE_DELIVERY_MAX_IN_FLIGHT", "128"));
        assertThat(tuned.delivery()).isEqualTo(new WardlineConfig.Delivery(2_000, 4_000, 128, 2));
        assertThat(org.wardline.server.delivery.DeliverySettings.of(tuned.delivery()))
                .extracting("framesPerSecond", "burst", "maxInFlight").containsExactly(2_000, 4_000, 128);
        assertThatThrownBy(() -> load(VALID + "delivery: {framesPerSecond: 0, burst: 0, maxInFlight: 0, listenerInstances: -1}\n", Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("delivery.framesPerSecond: must be between 1")
                .hasMessageContaining("delivery.burst: must be between 1")
                .hasMessageContaining("delivery.maxInFlight: must be between 1")
                .hasMessageContaining("delivery.listenerInstances: must be between 0");
    }

    @Test
    void brandingIsOptionalAndAMissingOrOversizedLogoOrALongNameIsReported(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        assertThat(load(VALID, Map.of()).branding()).isEqualTo(new WardlineConfig.Branding(null, null, null));
        Path logo = java.nio.file.Files.write(dir.resolve("logo.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G'});
        WardlineConfig c = load(VALID + "branding: {organisation: St Example Hospital, logo: " + logo
                + ", contact: 'Questions? Call Ward 7 on 555 0100'}\n", Map.of());
        assertThat(c.branding()).isEqualTo(new WardlineConfig.Branding("St Example Hospital", logo,
                "Questions? Call Ward 7 on 555 0100"));
        Path big = java.nio.file.Files.write(dir.resolve("big.png"), new byte[300 * 1024]);
        Path svg = java.nio.file.Files.write(dir.resolve("logo.svg"), new byte[10]);
        for (var bad : Map.of(dir.resolve("missing.png"), "branding.logo: no such file", big, "branding.logo: larger than 256 KiB",
                svg, "branding.logo: must be a .png or .jpg file").entrySet()) {
            assertThatThrownBy(() -> load(VALID + "branding: {logo: " + bad.getKey() + "}\n", Map.of()))
                    .isInstanceOf(InvalidConfigException.class).hasMessageContaining(bad.getValue());
        }
        assertThatThrownBy(() -> load(VALID, Map.of("WARDLINE_BRANDING_ORGANISATION", "x".repeat(201))))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("branding.organisation: at most 200 characters");
    }
}
