package org.wardline.server.pki.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
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
import java.util.Collections;
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
 * between the two servers after one warm-up round each; the medians and their ratio are printed.
 *
 * <pre>
 * java -cp server/target/wardline-server.jar:server/target/lib/* org.wardline.server.pki.bench.HandshakeBench [seconds] [rounds] [auto|jdk|openssl]
 * </pre>
 */
public final class HandshakeBench {
    /** Revoked entries in the CRL the listener checks, as in a deployment with some churn. */
    private static final int CRL_ENTRIES = 1000;
    private static final Pattern RESULT = Pattern.compile("(\\d+) connections in (\\d+) real seconds");

    private HandshakeBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        WardlineConfig.TlsEngine engine = args.length > 2 ? WardlineConfig.TlsEngine.valueOf(args[2].toUpperCase()) : WardlineConfig.TlsEngine.AUTO;
        Path dir = Files.createTempDirectory("wardline-bench-");
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

            System.out.println("engine: " + TlsOptions.engineName(TlsOptions.engine(engine)) + "; openssl: "
                    + run(List.of("openssl", "version"), Duration.ofSeconds(10)).strip());
            // Warm-up (JIT, BoringSSL tables), not counted.
            rate(wardlinePort, seconds, deviceCert, deviceKey, rootPem);
            rate(opensslPort, seconds, deviceCert, deviceKey, rootPem);
            List<Double> wardline = new ArrayList<>();
            List<Double> reference = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                wardline.add(rate(wardlinePort, seconds, deviceCert, deviceKey, rootPem));
                reference.add(rate(opensslPort, seconds, deviceCert, deviceKey, rootPem));
                System.out.printf("round %d: wardline %.1f/s, openssl s_server %.1f/s%n", i + 1,
                        wardline.get(i), reference.get(i));
            }
            double w = median(wardline);
            double o = median(reference);
            System.out.printf("median full mTLS handshakes/s: wardline device listener %.1f, openssl s_server %.1f, ratio %.2f%n",
                    w, o, w / o);
        } finally {
            if (openssl != null) {
                openssl.destroy();
                openssl.waitFor(5, TimeUnit.SECONDS);
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static double rate(int port, int seconds, Path cert, Path key, Path ca) throws Exception {
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

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
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
