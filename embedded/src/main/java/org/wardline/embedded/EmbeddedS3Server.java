package org.wardline.embedded;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * An S3 endpoint on loopback served by s3proxy with jclouds' filesystem backend: each bucket is a folder
 * under {@code baseDir}, each object a file. Callers must encrypt before they store: the bytes land as given.
 */
public final class EmbeddedS3Server implements AutoCloseable {
    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final Path baseDir;

    private EmbeddedS3Server(S3Proxy proxy, BlobStoreContext context, URI endpoint, String accessKey,
                             String secretKey, Path baseDir) {
        this.proxy = proxy;
        this.context = context;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.baseDir = baseDir;
    }

    public static EmbeddedS3Server start(Path baseDir, int port, String accessKey, String secretKey) {
        BlobStoreContext context = null;
        try {
            Files.createDirectories(baseDir);
            Properties properties = new Properties();
            properties.setProperty("jclouds.filesystem.basedir", baseDir.toAbsolutePath().toString());
            context = ContextBuilder.newBuilder("filesystem").overrides(properties).build(BlobStoreContext.class);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(context.getBlobStore())
                    .endpoint(URI.create("http://127.0.0.1:" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("s3proxy did not start within 30 s (state " + proxy.getState() + ")");
                }
                Thread.sleep(5);
            }
            URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
            return new EmbeddedS3Server(proxy, context, endpoint, accessKey, secretKey, baseDir);
        } catch (IOException e) {
            closeQuietly(context);
            throw new UncheckedIOException("embedded S3 did not start", e);
        } catch (InterruptedException e) {
            closeQuietly(context);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting embedded S3", e);
        } catch (RuntimeException e) {
            closeQuietly(context);
            throw e;
        } catch (Exception e) {
            closeQuietly(context);
            throw new IllegalStateException("embedded S3 did not start", e);
        }
    }

    private static void closeQuietly(BlobStoreContext context) {
        if (context != null) {
            context.close();
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** The folder holding the buckets; tests read it to prove stored bytes are ciphertext. */
    public Path baseDir() {
        return baseDir;
    }

    /** The backing jclouds store, for fixtures that create and empty buckets without an S3 client. */
    public BlobStore backingStore() {
        return context.getBlobStore();
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not stop cleanly", e);
        } finally {
            context.close();
        }
    }
}
