package org.wardline.storage.blob;

import org.wardline.protocol.Secret;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to reach the S3-compatible store. Validated on construction: every problem is reported at once, each with
 * the setting's name. {@link #toString()} never prints the secret key.
 *
 * @param endpoint         the S3 endpoint, {@code https://…} (plain {@code http} only for loopback)
 * @param region           the region (S3 requests are signed for it; MinIO and s3proxy accept {@code us-east-1})
 * @param accessKey        access key id
 * @param secretKey        secret access key
 * @param committedBucket  bucket for pending and committed objects
 * @param quarantineBucket bucket for quarantined objects; must differ from {@code committedBucket}
 * @param partSize         multipart part size in bytes, 5 MiB – 512 MiB; two parts are buffered per upload (one read, one sent)
 * @param timeout          connect/read/write timeout of each S3 request
 */
public record S3Settings(URI endpoint, String region, String accessKey, Secret<String> secretKey,
                         String committedBucket, String quarantineBucket, int partSize, Duration timeout) {

    /** Default part size: two 8 MiB buffers per concurrent upload; objects up to 80 GB (10,000 parts). */
    public static final int DEFAULT_PART_SIZE = 8 << 20;
    /** Default per-request timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final int MIN_PART_SIZE = 5 << 20;
    static final int MAX_PART_SIZE = 512 << 20;

    public S3Settings {
        List<String> problems = new ArrayList<>();
        if (endpoint == null || endpoint.getHost() == null
                || !("https".equals(endpoint.getScheme()) || "http".equals(endpoint.getScheme()))) {
            problems.add("s3.endpoint must be an http(s) URL with a host");
        } else if ("http".equals(endpoint.getScheme()) && !isLoopback(endpoint.getHost())) {
            problems.add("s3.endpoint must use https unless it is on loopback");
        }
        if (region == null || region.isBlank()) {
            problems.add("s3.region is missing");
        }
        if (accessKey == null || accessKey.isBlank()) {
            problems.add("s3.accessKey is missing");
        }
        if (secretKey == null || secretKey.reveal().isEmpty()) {
            problems.add("s3.secretKey is missing");
        }
        checkBucket("s3.committedBucket", committedBucket, problems);
        checkBucket("s3.quarantineBucket", quarantineBucket, problems);
        if (committedBucket != null && committedBucket.equals(quarantineBucket)) {
            problems.add("s3.quarantineBucket must differ from s3.committedBucket");
        }
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            problems.add("s3.partSize must be between 5 MiB and 512 MiB");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            problems.add("s3.timeout must be positive");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid S3 settings: " + String.join("; ", problems));
        }
    }

    /** Settings with the default part size and timeout. */
    public static S3Settings of(URI endpoint, String region, String accessKey, Secret<String> secretKey,
                                String committedBucket, String quarantineBucket) {
        return new S3Settings(endpoint, region, accessKey, secretKey, committedBucket, quarantineBucket,
                DEFAULT_PART_SIZE, DEFAULT_TIMEOUT);
    }

    /** A copy with another per-request timeout. */
    public S3Settings withTimeout(Duration newTimeout) {
        return new S3Settings(endpoint, region, accessKey, secretKey, committedBucket, quarantineBucket, partSize,
                newTimeout);
    }

    /** A copy with another endpoint. */
    public S3Settings withEndpoint(URI newEndpoint) {
        return new S3Settings(newEndpoint, region, accessKey, secretKey, committedBucket, quarantineBucket, partSize,
                timeout);
    }

    /** A copy with another multipart part size. */
    public S3Settings withPartSize(int newPartSize) {
        return new S3Settings(endpoint, region, accessKey, secretKey, committedBucket, quarantineBucket,
                newPartSize, timeout);
    }

    /** The S3 bucket name for a logical bucket. */
    public String bucketName(BlobBucket bucket) {
        return switch (bucket) {
            case COMMITTED -> committedBucket;
            case QUARANTINE -> quarantineBucket;
        };
    }

    private static void checkBucket(String name, String bucket, List<String> problems) {
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            problems.add(name + " must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)");
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey
                + ", secretKey=[REDACTED], committedBucket=" + committedBucket + ", quarantineBucket="
                + quarantineBucket + ", partSize=" + partSize + ", timeout=" + timeout + "]";
    }
}
