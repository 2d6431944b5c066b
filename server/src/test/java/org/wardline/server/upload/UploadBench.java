package org.wardline.server.upload;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.vertx.core.json.JsonObject;
import org.wardline.server.WardlineServer;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.dev.DevEnvironment;
import org.wardline.server.testing.EnrolledDevices;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;

/**
 * Upload benchmark (issue 5): end-to-end throughput of one large file through the upload pipeline (device
 * listener over mutual TLS → Tika type detection → text extraction/DLP → clamd INSTREAM → Tink streaming AEAD →
 * multipart PUT to s3proxy) against a raw minio-java PUT of a same-size stream to the same s3proxy in the same
 * run, and the heap high-water mark while doing it. Client and server share this one JVM, so the heap figure
 * covers both. The payload is a deterministic pseudo-random stream (never held in memory): incompressible,
 * the honest worst case for clamd and the best case for Tika (detected as application/octet-stream, no text).
 *
 * <p>Not a test: a main. Run from the repository root:
 * <pre>
 * ./mvnw -B -q -pl server -am test-compile -DskipTests
 * ./mvnw -B -q -pl server dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * cd server &amp;&amp; java -Xmx512m --enable-native-access=ALL-UNNAMED -Dwardline.repo.root=.. \
 *   -cp "target/test-classes:target/classes:../clients/target/classes:../protocol/target/classes:../storage/target/classes:../embedded/target/classes:../dlp/target/classes:$(cat /tmp/cp.txt)" \
 *   org.wardline.server.upload.UploadBench 1024 3
 * </pre>
 * Arguments: payload size in MiB (default 1024), runs each way (default 3).
 */
public final class UploadBench {
    private static final long MIB = 1L << 20;
    private static final int RAW_PART_SIZE = 8 << 20;

    private UploadBench() {
    }

    public static void main(String[] args) throws Exception {
        long sizeMiB = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long size = sizeMiB * MIB;
        Path data = Files.createTempDirectory("wardline-upload-bench-");
        DevEnvironment dev = DevEnvironment.start(data, new DevEnvironment.Ports(0, 0, 0),
                Map.of("WARDLINE_UPLOADS_MAX_BYTES", Long.toString(Math.max(size + MIB, 2L << 30))));
        WardlineServer server = WardlineServer.start(dev.config());
        int status = 0;
        try {
            run(server, dev.config().s3(), size, runs);
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        } finally {
            server.close();
            dev.close();
        }
        System.exit(status);
    }

    private static void run(WardlineServer server, WardlineConfig.S3 s3, long size, int runs) throws Exception {
        var signedIn = EnrolledDevices.enroll(server);
        SSLContext device = signedIn.sslContext();
        HttpClient http = HttpClient.newBuilder().sslContext(device).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create("https://127.0.0.1:" + server.devicePort() + "/v1/files");
        MinioClient minio = MinioClient.builder().endpoint(s3.endpoint().toString()).region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey().reveal()).build();
        String bucket = "upload-bench-scratch";
        if (!minio.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }
        System.out.printf("payload %d MiB pseudo-random (incompressible), %d runs each way, max heap %d MiB%n",
                size / MIB, runs, Runtime.getRuntime().maxMemory() / MIB);

        System.gc();
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        HeapSampler sampler = new HeapSampler();
        Thread samplerThread = Thread.ofPlatform().daemon().name("heap-sampler").start(sampler);

        double[] pipeline = new double[runs];
        double[] raw = new double[runs];
        for (int i = 0; i < runs; i++) {
            long seed = 42 + i;
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(signedIn.authorize(HttpRequest.newBuilder(uri)).timeout(Duration.ofMinutes(30))
                    .header("Content-Type", "application/octet-stream")
                    .header(FileRoutes.FILE_NAME_HEADER, Base64.getUrlEncoder()
                            .encodeToString(("bench-" + i + ".bin").getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> new PseudoRandomStream(size, seed)), size))
                    .build(), HttpResponse.BodyHandlers.ofString());
            double secs = (System.nanoTime() - t0) / 1e9;
            if (r.statusCode() != 201) {
                throw new IllegalStateException("upload run " + i + ": HTTP " + r.statusCode() + " " + r.body());
            }
            JsonObject body = new JsonObject(r.body());
            if (body.getLong("size") != size) {
                throw new IllegalStateException("upload run " + i + ": stored size " + body.getLong("size"));
            }
            pipeline[i] = size / 1e6 / secs;
            System.out.printf("pipeline run %d: %.1f s, %.1f MB/s, state %s, type %s%n", i, secs, pipeline[i],
                    body.getString("state"), body.getString("contentType"));
        }
        for (int i = 0; i < runs; i++) {
            String object = "raw-" + i;
            long t0 = System.nanoTime();
            try (InputStream in = new PseudoRandomStream(size, 42 + i)) {
                minio.putObject(PutObjectArgs.builder().bucket(bucket).object(object).stream(in, size, RAW_PART_SIZE).build());
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            raw[i] = size / 1e6 / secs;
            System.out.printf("raw minio PUT run %d: %.1f s, %.1f MB/s%n", i, secs, raw[i]);
            minio.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(object).build());
        }
        sampler.stop.set(true);
        samplerThread.join();

        long peakSum = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        StringBuilder pools = new StringBuilder();
        for (MemoryPoolMXBean p : heapPools) {
            pools.append(String.format("%n    %-28s peak %6.1f MiB", p.getName(), p.getPeakUsage().getUsed() / (double) MIB));
        }
        double up = median(pipeline);
        double rw = median(raw);
        System.out.println("==== UploadBench summary ====");
        System.out.printf("payload              %d MiB pseudo-random, %d runs each way, one JVM (client + server)%n", size / MIB, runs);
        System.out.printf("pipeline upload      median %.1f MB/s  (runs %s)%n", up, Arrays.toString(round(pipeline)));
        System.out.printf("raw minio-java PUT   median %.1f MB/s  (runs %s, part size %d MiB)%n", rw, Arrays.toString(round(raw)), RAW_PART_SIZE / MIB);
        System.out.printf("ratio upload/raw     %.2f (target >= 0.60)%n", up / rw);
        System.out.printf("max heap (-Xmx)      %d MiB%n", Runtime.getRuntime().maxMemory() / MIB);
        System.out.printf("heap used, sampled   high-water %.1f MiB (every 20 ms, all pools at once)%n", sampler.maxUsed.get() / (double) MIB);
        System.out.printf("heap pools peak sum  %.1f MiB (sum of per-pool peaks; an upper bound)%s%n", peakSum / (double) MIB, pools);
        System.out.printf("heap committed       high-water %.1f MiB (Runtime.totalMemory), now %.1f MiB%n",
                sampler.maxTotal.get() / (double) MIB, Runtime.getRuntime().totalMemory() / (double) MIB);
        System.out.println("=============================");
    }

    private static double[] round(double[] v) {
        return Arrays.stream(v).map(x -> Math.round(x * 10) / 10.0).toArray();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Polls used and committed heap; the sum of pool peaks over-counts, this is the concurrent figure. */
    private static final class HeapSampler implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong maxUsed = new AtomicLong();
        final AtomicLong maxTotal = new AtomicLong();

        @Override
        public void run() {
            var memory = ManagementFactory.getMemoryMXBean();
            while (!stop.get()) {
                maxUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                maxTotal.accumulateAndGet(Runtime.getRuntime().totalMemory(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** {@code size} deterministic pseudo-random bytes (xorshift64*), generated as read. */
    static final class PseudoRandomStream extends InputStream {
        private long remaining;
        private long state;
        private long word;
        private int wordLeft;

        PseudoRandomStream(long size, long seed) {
            this.remaining = size;
            this.state = seed * 0x9E3779B97F4A7C15L | 1;
        }

        private long next() {
            state ^= state >>> 12;
            state ^= state << 25;
            state ^= state >>> 27;
            return state * 0x2545F4914F6CDD1DL;
        }

        @Override
        public int read() {
            if (remaining == 0) {
                return -1;
            }
            if (wordLeft == 0) {
                word = next();
                wordLeft = 8;
            }
            remaining--;
            wordLeft--;
            int b = (int) (word & 0xff);
            word >>>= 8;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            int i = 0;
            while (i < n && wordLeft > 0) {
                b[off + i++] = (byte) read();
            }
            while (n - i >= 8) {
                long w = next();
                for (int k = 0; k < 8; k++) {
                    b[off + i++] = (byte) w;
                    w >>>= 8;
                }
                remaining -= 8;
            }
            while (i < n) {
                b[off + i++] = (byte) read();
            }
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, remaining);
        }
    }
}
