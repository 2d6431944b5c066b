package org.wardline.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The optional {@code backup:} section: schedules, the recipient key file, what a schedule needs. */
class BackupConfigTest {
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

    @TempDir
    Path dir;

    private static WardlineConfig load(String yaml, Map<String, String> env) {
        return ConfigLoader.load(ConfigLoader.parseYaml(yaml, "test.yaml"), env, Path.of("/etc/wardline"));
    }

    @Test
    void withoutASectionNothingIsScheduled() {
        WardlineConfig.Backup b = load(VALID, Map.of()).backup();
        assertThat(b.scheduled()).isFalse();
        assertThat(b.recipientKey()).isNull();
        assertThat(b.retain()).isEqualTo(7);
    }

    @Test
    void aDailyOrIntervalScheduleLoads() throws Exception {
        Path key = Files.writeString(dir.resolve("public.json"), "{}");
        WardlineConfig.Backup daily = load(VALID + """
                backup:
                  recipientKey: %s
                  schedule: daily 02:30
                  zone: Europe/Paris
                  destination: s3://backups/wardline
                  retain: 14
                """.formatted(key), Map.of()).backup();
        assertThat(daily.dailyAt()).isEqualTo(LocalTime.of(2, 30));
        assertThat(daily.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(daily.retain()).isEqualTo(14);
        assertThat(daily.scheduled()).isTrue();
        WardlineConfig.Backup every = load(VALID, Map.of("WARDLINE_BACKUP_RECIPIENT_KEY", key.toString(),
                "WARDLINE_BACKUP_SCHEDULE", "every 6h", "WARDLINE_BACKUP_DESTINATION", "/var/backups/wardline")).backup();
        assertThat(every.every()).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void aScheduleWithoutKeyOrDestinationOrWithNonsenseIsRefusedNamingEachProblem() {
        assertThatThrownBy(() -> load(VALID + """
                backup:
                  recipientKey: /nonexistent/public.json
                  schedule: hourly
                  zone: Mars/Olympus
                  retain: 0
                """, Map.of())).isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                .extracting(ConfigProblem::path).contains("backup.recipientKey", "backup.schedule", "backup.zone",
                        "backup.retain"));
        assertThatThrownBy(() -> load(VALID, Map.of("WARDLINE_BACKUP_SCHEDULE", "every 1d")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::message).contains(
                                "scheduled backups need backup.recipientKey (they run without a passphrase)",
                                "scheduled backups need backup.destination (a directory or s3://bucket/prefix)"));
    }
}
