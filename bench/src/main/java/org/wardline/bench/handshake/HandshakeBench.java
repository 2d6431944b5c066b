package org.wardline.bench.handshake;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.wardline.bench.BenchResult;
import org.wardline.bench.Progress;
import org.wardline.bench.Stats;
import org.wardline.protocol.Secret;
import org.wardline.server.config.ConfigLoader;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.pki.CertificateAuthority;
import org.wardline.server.pki.Pem;
import org.wardline.server.pki.ServerCertificate;
import org.wardline.server.tls.TlsOptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Full mutual-TLS handshakes per second: a listener built with the device listener's options
 * ({@link TlsOptions#deviceListener}, same engine choice) against {@code openssl s_server} with the same
 * certificate, key and client CA, both on loopback. The client for both is {@code openssl s_time -new}
 * (a full handshake per connection, presenting a device certificate, one small GET each). The Wardline
 * listener also carries a CRL of 1,000 entries, as the device listener does in production. Rounds alternate
 * between the two servers after one warm-up round each; the medians and their ratio are reported.
 *
 * <p>The listener runs in this JVM: only the TLS stack is measured, so a whole server is not needed, and
 * {@code openssl s_time} (a separate process) is the load generator for both sides.
 */
public final class HandshakeBench {
    /** Revoked entries in the CRL the listener checks, as in a deployment with some churn. */
    private static final int CRL_ENTRIES = 1000;
    private static final Pattern RESULT = Pattern.compile("(\\d+) connections in (\\d+) real seconds");

    private final int seconds;
    private final int rounds;
    private final WardlineConfig.TlsEngine engine;
    private final Progress progress;

    public HandshakeBench(int seconds, int rounds, WardlineConfig.TlsEngine engine, Progress progress) {
        if (seconds < 1 || rounds < 1) {
            throw new IllegalArgumentException("seconds and rounds must be positive");
        }
        this.seconds = seconds;
        this.rounds = rounds;
        this.engine = engine;
        this.progress = progress;
    }

    public BenchResult run(Path dir) throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("pki"), Secret.of("bench"), "Bench");
        Path serverCert = dir.resolve("server.crt");
        Path serverKey = dir.resolve("server.key");
        ServerCertificate.ensure(ca, serverCert, serverKey);
        Path rootPem = dir.resolve("pki/root-ca.crt");
        KeyPair deviceKeys = CertificateAuthority.newKeyPair();
        X509Certificate device = ca.issueClientCertificate(deviceKeys.getPublic(), "bench-device",
                "urn:wardline:user:00000000-0000-0000-0000-000000000001:device:00000000-0000-0000-0000-000000000002",
                Duration.ofDays(1));
        Path deviceCert = dir.resolve("device.crt");
        Path deviceKey = dir.resolve("device.key");
        Pem.writeCertificates(deviceCert, List.of(device, ca.intermediateCertificate()));
        Pem.writePrivateKey(deviceKey, deviceKeys.getPrivate());

        WardlineConfig.Tls tls = new WardlineConfig.Tls(serverCert, serverKey, "TLSv1.2", engine,
                List.of("TLSv1.3", "TLSv1.2"), concat(ConfigLoader.TLS13_SUITES, ConfigLoader.TLS12_SUITES));
        Vertx vertx = Vertx.vertx();
        Process openssl = null;
        try {
            int wardlinePort = freePort();
            var options = TlsOptions.deviceListener(new WardlineConfig.Listener("127.0.0.1", wardlinePort), tls, rootPem);
            options.addCrlValue(io.vertx.core.buffer.Buffer.buffer(crlWithEntries(ca, CRL_ENTRIES)));
            HttpServer server = vertx.createHttpServer(options).requestHandler(r -> r.response().end("ok"));
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

            int opensslPort = freePort();
            openssl = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + opensslPort, "-quiet", "-www",
                    "-cert", serverCert.toString(), "-key", serverKey.toString(), "-CAfile", rootPem.toString(),
                    "-Verify", "2", "-no_ticket", "-no-CAfile", "-no-CApath")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("s_server.log").toFile()).start();
            awaitPort(opensslPort);

            String engineName = TlsOptions.engineName(TlsOptions.engine(engine));
            String opensslVersion = run(List.of("openssl", "version"), Duration.ofSeconds(10)).strip();
            // Warm-up (JIT, BoringSSL tables), not counted.
            progress.phase("handshake: warm-up, Wardline listener", "");
            rate(wardlinePort, deviceCert, deviceKey, rootPem);
            progress.phase("handshake: warm-up, openssl s_server", "");
            rate(opensslPort, deviceCert, deviceKey, rootPem);
            double[] wardline = new double[rounds];
            double[] reference = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                progress.phase("handshake: round " + (i + 1) + "/" + rounds + ", Wardline listener", "");
                wardline[i] = rate(wardlinePort, deviceCert, deviceKey, rootPem);
                progress.phase("handshake: round " + (i + 1) + "/" + rounds + ", openssl s_server", "");
                reference[i] = rate(opensslPort, deviceCert, deviceKey, rootPem);
            }
            double w = Stats.median(wardline);
            double o = Stats.median(reference);
            String setup = String.format(java.util.Locale.ROOT, "openssl s_time -new, %d s x %d alternating rounds (median); Wardline engine %s, %s",
                    seconds, rounds, engineName, opensslVersion);
            return new BenchResult("handshake", setup)
                    .figure("wardlinePerSecond", "Wardline device listener", w, "handshakes/s")
                    .figure("opensslPerSecond", "openssl s_server, same certificate", o, "handshakes/s")
                    .figure("ratio", "ratio Wardline / openssl", w / o, "")
                    .target(">= 90% of openssl s_server", w / o >= 0.9, String.format(java.util.Locale.ROOT, "ratio %.2f", w / o));
        } finally {
            if (openssl != null) {
                openssl.destroy();
                openssl.waitFor(5, TimeUnit.SECONDS);
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private double rate(int port, Path cert, Path key, Path ca) throws Exception {
        String out = run(List.of("openssl", "s_time", "-connect", "127.0.0.1:" + port, "-new", "-time", String.valueOf(seconds),
                "-www", "/", "-cert", cert.toString(), "-key", key.toString(), "-CAfile", ca.toString()),
                Duration.ofSeconds(seconds + 30L));
        Matcher m = RESULT.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("unexpected s_time output: " + out);
        }
        return Double.parseDouble(m.group(1)) / Double.parseDouble(m.group(2));
    }

    private static String run(List<String> command, Duration timeout) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(1) + " did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static byte[] crlWithEntries(CertificateAuthority ca, int n) throws Exception {
        List<CertificateAuthority.RevokedCertificate> entries = new ArrayList<>();
        java.time.Instant now = java.time.Instant.now();
        java.security.SecureRandom random = new java.security.SecureRandom();
        for (int i = 0; i < n; i++) {
            entries.add(new CertificateAuthority.RevokedCertificate(new java.math.BigInteger(127, random), now, 0));
        }
        return ca.issueCrl(entries, now, now.plus(Duration.ofDays(1)), java.math.BigInteger.ONE).getEncoded();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        throw new IllegalStateException("openssl s_server did not start on port " + port);
    }
}
