package org.wardline.server.pki;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.Secret;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CertificateExpiryMonitorTest {
    @TempDir
    Path dir;

    @Test
    void gaugesShowDaysLeftAndTheWarningStartsFourteenDaysBefore() {
        var ca = CertificateAuthority.loadOrCreate(dir, Secret.of("pass"), "Test");
        var server = ca.issueServerCertificate(CertificateAuthority.newKeyPair().getPublic(), java.util.List.of("localhost"),
                java.util.List.of(), Duration.ofDays(20));
        Instant notAfter = server.getNotAfter().toInstant();

        var early = new CertificateExpiryMonitor(Clock.fixed(notAfter.minus(Duration.ofDays(15)), ZoneOffset.UTC))
                .watch("server", () -> server).watch("root", ca::rootCertificate);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        early.bind(registry);
        assertThat(registry.get(CertificateExpiryMonitor.METRIC).tag("certificate", "server").gauge().value())
                .isCloseTo(15.0, within(0.01));
        assertThat(registry.get(CertificateExpiryMonitor.METRIC).tag("certificate", "root").gauge().value()).isGreaterThan(3000);
        assertThat(early.check()).isZero();

        var late = new CertificateExpiryMonitor(Clock.fixed(notAfter.minus(Duration.ofDays(13)), ZoneOffset.UTC))
                .watch("server", () -> server).watch("root", ca::rootCertificate);
        assertThat(late.check()).isEqualTo(1);
    }
}
