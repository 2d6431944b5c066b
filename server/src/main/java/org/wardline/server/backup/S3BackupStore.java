package org.wardline.server.backup;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Backup parts as objects under {@code s3://bucket/prefix/}, streamed in multipart uploads. */
final class S3BackupStore implements BackupStore {
    private static final long PART_SIZE = 16L * 1024 * 1024;

    private final MinioClient s3;
    private final String bucket;
    private final String prefix;

    S3BackupStore(MinioClient s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** Parses {@code s3://bucket/prefix}. */
    static String[] parse(String uri) {
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.length() < 3) {
            throw new BackupException("not an S3 backup address (s3://bucket/prefix): " + uri);
        }
        return new String[] {bucket, prefix};
    }

    @Override
    public OutputStream create(String name) {
        try {
            PipedInputStream in = new PipedInputStream(1 << 20);
            PipedOutputStream out = new PipedOutputStream(in);
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                try (in) {
                    s3.putObject(PutObjectArgs.builder().bucket(bucket).object(prefix + name).stream(in, -1, PART_SIZE).build());
                } catch (Exception e) {
                    throw new BackupException("cannot upload the backup part " + name + " to s3://" + bucket + "/" + prefix, e);
                }
            });
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    out.close();
                    try {
                        upload.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    } catch (ExecutionException e) {
                        throw new IOException(e.getCause().getMessage(), e.getCause());
                    }
                }
            };
        } catch (IOException e) {
            throw new BackupException("cannot stream to S3", e);
        }
    }

    @Override
    public InputStream open(String name) {
        if (!exists(name)) {
            throw new BackupException(name + ": missing from the backup");
        }
        try {
            return s3.getObject(GetObjectArgs.builder().bucket(bucket).object(prefix + name).build());
        } catch (Exception e) {
            throw new BackupException("cannot read the backup part " + name + " from s3://" + bucket + "/" + prefix, e);
        }
    }

    @Override
    public boolean exists(String name) {
        try {
            s3.statObject(StatObjectArgs.builder().bucket(bucket).object(prefix + name).build());
            return true;
        } catch (ErrorResponseException e) {
            return false;
        } catch (Exception e) {
            throw new BackupException("cannot reach s3://" + bucket + "/" + prefix, e);
        }
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }
}
