package org.wardline.server.pki;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Watches the certificates the server relies on (its TLS certificate, the device intermediate, the root):
 * a gauge {@code wardline_certificate_expiry_days{certificate=…}} for each, and a warning in the log once a
 * day (and at start) for any that expires within {@link #WARN_BEFORE}.
 */
public final class CertificateExpiryMonitor {
    public static final Duration WARN_BEFORE = Duration.ofDays(14);
    public static final String METRIC = "wardline.certificate.expiry.days";
    private static final Duration CHECK_INTERVAL = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(CertificateExpiryMonitor.class);

    private final Map<String, Supplier<X509Certificate>> certificates = new LinkedHashMap<>();
    private final Clock clock;
    private final Map<String, Instant> lastWarned = new java.util.concurrent.ConcurrentHashMap<>();

    public CertificateExpiryMonitor(Clock clock) {
        this.clock = clock;
    }

    /** Adds a certificate to watch; the supplier is asked each time, so a reloaded certificate is seen. */
    public CertificateExpiryMonitor watch(String name, Supplier<X509Certificate> certificate) {
        certificates.put(name, certificate);
        return this;
    }

    /** Registers the gauges on {@code registry}. */
    public void bind(MeterRegistry registry) {
        certificates.forEach((name, cert) -> Gauge.builder(METRIC, () -> daysLeft(cert.get()))
                .description("Days until the certificate expires (negative once expired)")
                .tag("certificate", name)
                .baseUnit("days")
                .register(registry));
    }

    /** Checks now and then every hour on {@code vertx}; returns the timer ID. */
    public long start(Vertx vertx) {
        check();
        return vertx.setPeriodic(CHECK_INTERVAL.toMillis(), id -> check());
    }

    /** Logs a warning for each certificate expiring within {@link #WARN_BEFORE} (at most daily); returns how many. */
    public int check() {
        int expiring = 0;
        Instant now = clock.instant();
        for (Map.Entry<String, Supplier<X509Certificate>> e : certificates.entrySet()) {
            X509Certificate cert = e.getValue().get();
            Instant notAfter = cert.getNotAfter().toInstant();
            if (notAfter.isBefore(now.plus(WARN_BEFORE))) {
                expiring++;
                Instant last = lastWarned.get(e.getKey());
                if (last == null || last.isBefore(now.minus(Duration.ofDays(1)))) {
                    lastWarned.put(e.getKey(), now);
                    LOG.atWarn().addKeyValue("certificate", e.getKey()).addKeyValue("notAfter", notAfter.toString())
                            .addKeyValue("daysLeft", daysLeft(cert))
                            .log("a certificate the server relies on expires soon: renew it");
                }
            }
        }
        return expiring;
    }

    double daysLeft(X509Certificate cert) {
        return Duration.between(clock.instant(), cert.getNotAfter().toInstant()).toSeconds() / 86_400.0;
    }
}
