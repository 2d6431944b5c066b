package org.wardline.bench.upload;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.vertx.core.json.JsonObject;
import org.wardline.bench.BenchResult;
import org.wardline.bench.Progress;
import org.wardline.bench.Stats;
import org.wardline.bench.server.BenchDevices;
import org.wardline.bench.server.ChildServer;
import org.wardline.bench.server.ServerStats;
import org.wardline.clients.sdk.DeviceIdentity;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * Upload pipeline against a raw S3 PUT: one file at a time {@code POST}ed to {@code /v1/files} over mutual TLS
 * (Tika type detection, text extraction and DLP, clamd INSTREAM, Tink streaming AEAD, multipart PUT to s3proxy),
 * timed until the 201, then a same-size stream {@code PUT} with minio-java (8 MiB parts, the pipeline's part
 * size) straight to the same s3proxy. The payload is deterministic pseudo-random bytes generated as read:
 * incompressible, the worst case for clamd and the best case for Tika/DLP (no text to scan).
 *
 * <p>The server runs in its own JVM; its heap high-water mark (sampled every 10 ms) is taken per pipeline run,
 * for a small file first and then for each full-size one. With the server at a -Xmx no larger than the file, every upload
 * completing shows the heap does not hold the file.
 * Note: s3proxy runs inside the server process (dev mode), so the figure includes it.
 */
public final class UploadBench {
    private static final long MIB = 1L << 20;
    private static final int RAW_PART_SIZE = 8 << 20;
    static final String FILE_NAME_HEADER = "X-Wardline-File-Name";

    private final long size;
    private final int runs;
    private final Progress progress;

    public UploadBench(long size, int runs, Progress progress) {
        if (size < MIB || runs < 1) {
            throw new IllegalArgumentException("size must be at least 1 MiB and runs at least 1");
        }
        this.size = size;
        this.runs = runs;
        this.progress = progress;
    }

    /** What the server needs in its environment to accept files of {@code size}. */
    public static java.util.Map<String, String> serverEnvironment(long size) {
        return java.util.Map.of("WARDLINE_UPLOADS_MAX_BYTES", Long.toString(size + MIB));
    }

    public BenchResult run(ChildServer server) throws Exception {
        if (!server.hasClamd()) {
            throw new IllegalStateException("clamd is not installed, so the server refuses uploads (apt-get install clamav-daemon)");
        }
        BenchDevices enrollment = new BenchDevices(server);
        DeviceIdentity device = enrollment.enroll();
        HttpClient http = HttpClient.newBuilder().sslContext(device.sslContext())
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create("https://127.0.0.1:" + server.devicePort() + "/v1/files");
        ChildServer.S3Endpoint s3 = server.s3();
        MinioClient minio = MinioClient.builder().endpoint(s3.endpoint()).region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey()).build();
        String bucket = "upload-bench-scratch";
        if (!minio.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }

        long small = Math.max(MIB, size / 8);
        server.statsAfterGc();
        server.resetPeak();
        upload(http, device, uri, small, 7, "upload: pipeline, small file");
        ServerStats smallRun = server.stats();

        double[] pipeline = new double[runs];
        double[] raw = new double[runs];
        long heapPeak = 0;
        for (int i = 0; i < runs; i++) {
            server.resetPeak();
            pipeline[i] = upload(http, device, uri, size, 42 + i, "upload: pipeline run " + (i + 1) + "/" + runs);
            heapPeak = Math.max(heapPeak, server.stats().heapPeak());
        }
        for (int i = 0; i < runs; i++) {
            String object = "raw-" + i;
            progress.phase("upload: raw S3 PUT run " + (i + 1) + "/" + runs, "MB");
            long t0 = System.nanoTime();
            try (InputStream in = new Counted(new PseudoRandomStream(size, 42 + i), progress)) {
                minio.putObject(PutObjectArgs.builder().bucket(bucket).object(object).stream(in, size, RAW_PART_SIZE).build());
            }
            raw[i] = size / 1e6 / ((System.nanoTime() - t0) / 1e9);
            minio.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(object).build());
        }
        double up = Stats.median(pipeline);
        double rw = Stats.median(raw);
        double ratio = up / rw;
        double smallPeak = smallRun.heapPeak() / (double) MIB;
        double bigPeak = heapPeak / (double) MIB;
        // A file at least as large as -Xmx passing is the evidence that the heap does not hold the file; the
        // high-water marks show how much of the heap G1 uses, which at a small -Xmx is all of it.
        boolean bounded = size >= smallRun.heapMax();
        String setup = String.format(Locale.ROOT, "%d MiB pseudo-random file, %d runs each way (median), after one %d MiB run;"
                + " server in its own JVM (-Xmx %d MiB, s3proxy inside it)", size / MIB, runs, small / MIB, smallRun.heapMax() / MIB);
        return new BenchResult("upload", setup)
                .figure("pipelineMBps", "pipeline upload (median)", up, "MB/s")
                .figure("rawPutMBps", "raw minio-java PUT (median)", rw, "MB/s")
                .figure("ratio", "ratio pipeline / raw", ratio, "")
                .figure("heapPeakSmallMiB", "server heap high-water, " + small / MIB + " MiB file", smallPeak, "MiB")
                .figure("heapPeakMiB", "server heap high-water, " + size / MIB + " MiB files", bigPeak, "MiB")
                .figure("heapMaxMiB", "server -Xmx", smallRun.heapMax() / (double) MIB, "MiB")
                .target("flat heap: files at least as large as -Xmx pass", bounded,
                        String.format(Locale.ROOT, "%d MiB files through a %d MiB heap; high-water %.0f MiB (%d MiB file), %.0f MiB (%d MiB)",
                                size / MIB, smallRun.heapMax() / MIB, smallPeak, small / MIB, bigPeak, size / MIB))
                .target(">= 60% of raw PUT", ratio >= 0.6, String.format(Locale.ROOT, "ratio %.2f", ratio));
    }

    private double upload(HttpClient http, DeviceIdentity device, URI uri, long bytes, long seed, String phase) throws Exception {
        progress.phase(phase, "MB");
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30))
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", "Bearer " + device.accessToken().reveal())
                .header(FILE_NAME_HEADER, Base64.getUrlEncoder().encodeToString(("bench-" + seed + ".bin").getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new Counted(new PseudoRandomStream(bytes, seed), progress)), bytes))
                .build(), HttpResponse.BodyHandlers.ofString());
        double secs = (System.nanoTime() - t0) / 1e9;
        if (r.statusCode() != 201) {
            throw new IllegalStateException("upload: HTTP " + r.statusCode() + " " + r.body());
        }
        long stored = new JsonObject(r.body()).getLong("size");
        if (stored != bytes) {
            throw new IllegalStateException("upload: the server stored " + stored + " bytes of " + bytes);
        }
        return bytes / 1e6 / secs;
    }

    /** Counts megabytes read into the progress line. */
    private static final class Counted extends FilterInputStream {
        private final Progress progress;
        private long bytes;

        Counted(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                long before = bytes / 1_000_000;
                bytes += n;
                progress.add(bytes / 1_000_000 - before);
            }
            return n;
        }
    }
}
