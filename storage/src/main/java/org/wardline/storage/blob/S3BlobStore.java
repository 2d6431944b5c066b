package org.wardline.storage.blob;

import com.google.common.collect.ImmutableMultimap;
import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.ServerException;
import io.minio.http.HttpUtils;
import io.minio.messages.Part;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.storage.StorageException;
import org.wardline.storage.StorageUnavailableException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * {@link BlobStore} on any S3-compatible endpoint (AWS S3, MinIO, s3proxy) through minio-java.
 *
 * <p>minio-java is blocking: every method here blocks the calling thread on network I/O. The server calls them on
 * worker or virtual threads, never on an event loop.
 *
 * <p>Uploads of unknown length are streamed with S3 multipart uploads: the calling thread reads the next part
 * ({@link S3Settings#partSize()}) while the previous one is sent on a virtual thread, so reading and sending
 * overlap and two part buffers are held per upload, whatever the object size.
 * An object smaller than one part is sent with a single PUT. When the source stream or S3 fails mid-upload, the
 * multipart upload is aborted, so no partial object and no orphaned parts remain: before {@code put} throws when
 * the source failed; when S3 failed, on a thread of its own once S3 answers again (so a hung S3 costs the caller one
 * timeout, not two, and a part that was on its way when S3 hung cannot land after the abort).
 *
 * <pre>{@code
 * S3BlobStore s3 = new S3BlobStore(S3Settings.of(URI.create("https://s3.example"), "us-east-1", accessKey,
 *         Secret.of(secretKey), "wardline-objects", "wardline-quarantine"));
 * s3.ensureBuckets();   // at start-up, blocking
 * s3.checkReady();      // health check, blocking
 * }</pre>
 */
public final class S3BlobStore implements BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);
    private static final int MAX_PARTS = 10_000;
    private static final ImmutableMultimap<String, String> OCTET_STREAM =
            ImmutableMultimap.of("Content-Type", "application/octet-stream");
    private static final int MAX_CLEAN_UPS = 10_000;
    private static final java.time.Duration RECOVERY_WAIT_LIMIT = java.time.Duration.ofHours(1);

    private final S3Settings settings;
    private final MinioClient client;
    private final MinioAsyncClient asyncClient;
    /** Clean-ups waiting for S3 to answer again ({@link #afterRecovery}); guarded by itself. */
    private final List<Runnable> cleanUps = new ArrayList<>();

    /** Creates the clients; no request is sent until a method is called. */
    public S3BlobStore(S3Settings settings) {
        this.settings = settings;
        long timeoutMillis = settings.timeout().toMillis();
        OkHttpClient http = HttpUtils.newDefaultHttpClient(timeoutMillis, timeoutMillis, timeoutMillis);
        String endpoint = settings.endpoint().toString();
        this.client = MinioClient.builder()
                .endpoint(endpoint)
                .region(settings.region())
                .credentials(settings.accessKey(), settings.secretKey().reveal())
                .httpClient(http)
                .build();
        this.asyncClient = MinioAsyncClient.builder()
                .endpoint(endpoint)
                .region(settings.region())
                .credentials(settings.accessKey(), settings.secretKey().reveal())
                .httpClient(http)
                .build();
    }

    /** The settings this store was built with. */
    public S3Settings settings() {
        return settings;
    }

    /**
     * Creates the committed and quarantine buckets when they do not exist yet. Blocking.
     *
     * @throws StorageUnavailableException when S3 cannot be reached or refuses
     */
    public void ensureBuckets() {
        for (BlobBucket bucket : BlobBucket.values()) {
            String name = settings.bucketName(bucket);
            call("create bucket " + name, () -> {
                if (!client.bucketExists(BucketExistsArgs.builder().bucket(name).build())) {
                    client.makeBucket(MakeBucketArgs.builder().bucket(name).build());
                    LOG.info("created S3 bucket {}", name);
                }
                return null;
            });
        }
    }

    /**
     * Checks that S3 answers (a bucket-existence request). Blocking.
     *
     * @throws StorageUnavailableException when it does not
     */
    public void ping() {
        call("ping", () -> client.bucketExists(BucketExistsArgs.builder().bucket(settings.committedBucket()).build()));
    }

    /**
     * Checks that S3 answers and both buckets exist: the readiness check. Blocking.
     *
     * @throws StorageUnavailableException when S3 does not answer or a bucket is missing
     */
    public void checkReady() {
        for (BlobBucket bucket : BlobBucket.values()) {
            String name = settings.bucketName(bucket);
            boolean exists = call("check bucket " + name,
                    () -> client.bucketExists(BucketExistsArgs.builder().bucket(name).build()));
            if (!exists) {
                throw new StorageUnavailableException("S3 bucket " + name + " does not exist", null);
            }
        }
    }

    @Override
    public long put(BlobBucket bucket, BlobId id, InputStream data) {
        return put(bucket, id, data, uploadId -> { });
    }

    @Override
    public long put(BlobBucket bucket, BlobId id, InputStream data, java.util.function.Consumer<String> unfinishedWrite) {
        String name = settings.bucketName(bucket);
        byte[] part = new byte[settings.partSize()];
        int filled = readPart(data, part, id);
        if (filled < part.length) {
            call("put " + id, () -> client.putObject(PutObjectArgs.builder().bucket(name).object(id.key())
                    .stream(new ByteArrayInputStream(part, 0, filled), filled, -1)
                    .contentType("application/octet-stream")
                    .build()));
            return filled;
        }
        String uploadId = call("start multipart upload " + id, () -> asyncClient.createMultipartUploadAsync(
                name, settings.region(), id.key(), OCTET_STREAM, null).get().result().uploadId());
        FutureTask<String> inFlight = null;
        try {
            unfinishedWrite.accept(uploadId);
            List<Part> parts = new ArrayList<>();
            long total = 0;
            byte[] filling = part;
            byte[] sending = new byte[part.length];
            int length = filled;
            while (length > 0) {
                int partNumber = parts.size() + (inFlight == null ? 1 : 2);
                if (partNumber > MAX_PARTS) {
                    throw new BlobWriteException("object " + id + " exceeds " + MAX_PARTS + " parts", null);
                }
                if (inFlight != null) {
                    parts.add(new Part(partNumber - 1, awaitPart(inFlight)));
                }
                // The previous part is stored, so its buffer is free: send this one while the next is read.
                byte[] buffer = filling;
                filling = sending;
                sending = buffer;
                inFlight = sendPart(name, id, uploadId, partNumber, buffer, length);
                total += length;
                length = readPart(data, filling, id);
            }
            if (inFlight != null) {
                parts.add(new Part(parts.size() + 1, awaitPart(inFlight)));
                inFlight = null;
            }
            call("complete multipart upload " + id, () -> asyncClient.completeMultipartUploadAsync(
                    name, settings.region(), id.key(), uploadId, parts.toArray(Part[]::new), null, null).get());
            return total;
        } catch (RuntimeException e) {
            // A part still on its way could land after the abort and stay behind as an orphan: let it end first.
            if (inFlight != null) {
                settle(inFlight);
            }
            if (e instanceof StorageUnavailableException) {
                // S3 itself failed (a hung S3 times out): the caller hears of it at once, and the abort is sent on a
                // thread of its own once S3 answers again (a part sent before it hung could land after an earlier abort).
                afterRecovery(() -> abort(name, id, uploadId, e));
            } else {
                abort(name, id, uploadId, e);
            }
            throw e;
        }
    }

    /**
     * Queues {@code cleanUp} for when S3 answers again. One virtual thread, started while clean-ups wait, pings S3
     * once a second; when it answers, it waits one request timeout more (for what was in transit when S3 hung to be
     * stored), then runs them all. At most {@value #MAX_CLEAN_UPS} wait; beyond, one is dropped with a warning (its
     * ciphertext is undecryptable: its data key is destroyed), and after an hour without an answer all are dropped.
     */
    @Override
    public void afterRecovery(Runnable cleanUp) {
        synchronized (cleanUps) {
            if (cleanUps.size() >= MAX_CLEAN_UPS) {
                LOG.warn("{} clean-ups already wait for S3 to answer again: one more is dropped", MAX_CLEAN_UPS);
                return;
            }
            cleanUps.add(cleanUp);
            if (cleanUps.size() > 1) {
                return; // the waiting thread runs it with the others
            }
        }
        Thread.ofVirtual().name("s3-after-recovery").start(this::runCleanUpsWhenAnswering);
    }

    private void runCleanUpsWhenAnswering() {
        long giveUp = System.nanoTime() + RECOVERY_WAIT_LIMIT.toNanos();
        try {
            while (!answers()) {
                if (System.nanoTime() > giveUp) {
                    synchronized (cleanUps) {
                        LOG.warn("S3 did not answer again within {}: {} clean-ups after its failure are dropped",
                                RECOVERY_WAIT_LIMIT, cleanUps.size());
                        cleanUps.clear();
                    }
                    return;
                }
                Thread.sleep(1_000);
            }
            Thread.sleep(settings.timeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (cleanUps) {
                cleanUps.clear(); // stopping: the next failure starts a waiting thread of its own
            }
            return;
        }
        List<Runnable> due;
        synchronized (cleanUps) {
            due = new ArrayList<>(cleanUps);
            cleanUps.clear();
        }
        for (Runnable cleanUp : due) {
            try {
                cleanUp.run();
            } catch (RuntimeException e) {
                LOG.warn("a clean-up after an S3 failure failed: {}", e.getClass().getSimpleName());
            }
        }
    }

    private boolean answers() {
        try {
            ping();
            return true;
        } catch (StorageException e) {
            return false;
        }
    }

    /** Uploads one part on a thread of its own; the task's result is the part's ETag. */
    private FutureTask<String> sendPart(String bucketName, BlobId id, String uploadId, int partNumber,
                                        byte[] buffer, int length) {
        FutureTask<String> task = new FutureTask<>(() -> call("upload part " + partNumber + " of " + id,
                () -> asyncClient.uploadPartAsync(bucketName, settings.region(), id.key(),
                        new ByteArrayInputStream(buffer, 0, length), length, uploadId, partNumber, null, null)
                        .get().etag()));
        Thread.ofVirtual().name("s3-part-upload").start(task);
        return task;
    }

    private static String awaitPart(FutureTask<String> part) {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            part.cancel(true);
            throw new StorageUnavailableException("S3 part upload was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new StorageException("S3 part upload failed", e.getCause());
        }
    }

    /** Waits for a part upload to end, whatever its outcome. */
    private static void settle(FutureTask<String> part) {
        try {
            part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException ignored) {
            // The upload is being aborted; the first failure is the one reported.
        }
    }

    private void abort(String bucketName, BlobId id, String uploadId, RuntimeException cause) {
        try {
            call("abort multipart upload " + id, () -> asyncClient.abortMultipartUploadAsync(
                    bucketName, settings.region(), id.key(), uploadId, null, null).get());
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOG.warn("could not abort multipart upload of {}; the bucket's lifecycle rule must clean it up", id);
        }
    }

    /** Fills {@code part} from {@code data}; returns how many bytes were read (less than its length only at EOF). */
    private static int readPart(InputStream data, byte[] part, BlobId id) {
        try {
            return data.readNBytes(part, 0, part.length);
        } catch (IOException e) {
            throw new BlobWriteException("reading the data for object " + id + " failed", e);
        }
    }

    @Override
    public InputStream get(BlobBucket bucket, BlobId id) {
        return read("get " + id, () -> client.getObject(GetObjectArgs.builder()
                .bucket(settings.bucketName(bucket)).object(id.key()).build()), id);
    }

    /** One ranged GET; S3 itself clips the end and refuses a start at or past the end (416). */
    @Override
    public InputStream getRange(BlobBucket bucket, BlobId id, long offset, long length) {
        if (offset < 0 || length <= 0) {
            throw new InvalidRangeException("invalid range: offset " + offset + ", length " + length);
        }
        return read("get range of " + id, () -> client.getObject(GetObjectArgs.builder()
                .bucket(settings.bucketName(bucket)).object(id.key()).offset(offset).length(length).build()), id);
    }

    @Override
    public long size(BlobBucket bucket, BlobId id) {
        return read("stat " + id, () -> client.statObject(StatObjectArgs.builder()
                .bucket(settings.bucketName(bucket)).object(id.key()).build()).size(), id);
    }

    @Override
    public boolean exists(BlobBucket bucket, BlobId id) {
        try {
            size(bucket, id);
            return true;
        } catch (BlobNotFoundException e) {
            return false;
        }
    }

    @Override
    public void abortUnfinishedWrite(BlobBucket bucket, BlobId id, String uploadId) {
        String name = settings.bucketName(bucket);
        try {
            call("abort multipart upload " + id, () -> asyncClient.abortMultipartUploadAsync(
                    name, settings.region(), id.key(), uploadId, null, null).get());
        } catch (StorageUnavailableException e) {
            if (!(e.getCause() instanceof ErrorResponseException error && "NoSuchUpload".equals(error.errorResponse().code()))) {
                throw e;
            }
            // completed, aborted or expired already
        }
    }

    @Override
    public void delete(BlobBucket bucket, BlobId id) {
        call("delete " + id, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(settings.bucketName(bucket)).object(id.key())
                    .build());
            return null;
        });
    }

    @Override
    public void copy(BlobBucket from, BlobBucket to, BlobId id) {
        call("copy " + id, () -> client.copyObject(CopyObjectArgs.builder()
                .bucket(settings.bucketName(to)).object(id.key())
                .source(CopySource.builder().bucket(settings.bucketName(from)).object(id.key()).build())
                .build()), id);
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(String operation, S3Call<T> call) {
        return call(operation, call, null);
    }

    /** Reads are idempotent: one broken pooled connection (a protocol error on reuse) is retried once. */
    private static <T> T read(String operation, S3Call<T> call, BlobId id) {
        try {
            return call(operation, call, id);
        } catch (StorageUnavailableException e) {
            if (e.getCause() instanceof java.net.ProtocolException) {
                return call(operation, call, id);
            }
            throw e;
        }
    }

    private static <T> T call(String operation, S3Call<T> call, BlobId id) {
        try {
            return call.run();
        } catch (StorageException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("S3 " + operation + " was interrupted", e);
        } catch (Exception e) {
            throw translate(operation, unwrap(e), id);
        }
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static RuntimeException translate(String operation, Throwable e, BlobId id) {
        if (e instanceof StorageException storage) {
            return storage;
        }
        if (e instanceof ErrorResponseException error) {
            String code = error.errorResponse().code();
            if (id != null && ("NoSuchKey".equals(code) || "NoSuchObject".equals(code))) {
                return new BlobNotFoundException(id);
            }
            if ("InvalidRange".equals(code)) {
                return new InvalidRangeException("S3 refused the range for object " + id);
            }
            return new StorageUnavailableException("S3 " + operation + " failed: " + code, e);
        }
        if (e instanceof IOException || e instanceof ServerException) {
            return new StorageUnavailableException("S3 " + operation + " failed: S3 unreachable or erroring", e);
        }
        return new StorageException("S3 " + operation + " failed", e);
    }
}
