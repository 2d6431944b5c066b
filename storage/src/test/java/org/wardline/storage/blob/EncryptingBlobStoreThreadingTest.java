package org.wardline.storage.blob;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.embedded.junit.PostgresExtension;
import org.wardline.embedded.junit.S3Extension;
import org.wardline.storage.StorageTestEnvironment;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The blocking stores run where the server will call them: worker threads and virtual-thread verticles. */
class EncryptingBlobStoreThreadingTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    final S3Extension s3 = new S3Extension();
    @TempDir
    Path keystoreDir;

    private StorageTestEnvironment env;

    @BeforeEach
    void start() {
        env = new StorageTestEnvironment(PG, s3, keystoreDir);
    }

    @AfterEach
    void stop() {
        env.close();
    }

    private byte[] roundTrip() {
        BlobId id = BlobId.random();
        env.encrypted.put(BlobBucket.COMMITTED, id, new ByteArrayInputStream(new byte[] {4, 2}));
        return BlobStoreContract.readAll(env.encrypted.get(BlobBucket.COMMITTED, id));
    }

    @Test
    void worksOnAWorkerThread() {
        byte[] read = env.vertx.executeBlocking(this::roundTrip).await();
        assertThat(read).containsExactly(4, 2);
    }

    @Test
    void worksInAVirtualThreadVerticle() throws Exception {
        assertThat(inVerticle(ThreadingModel.VIRTUAL_THREAD, this::roundTrip)).containsExactly(4, 2);
    }

    @Test
    void isRefusedOnAnEventLoop() {
        assertThatThrownBy(() -> inVerticle(ThreadingModel.EVENT_LOOP, this::roundTrip))
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .hasStackTraceContaining("event loop");
    }

    private <T> T inVerticle(ThreadingModel model, Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        String deployment = env.vertx.deployVerticle(new AbstractVerticle() {
            @Override
            public void start() {
                try {
                    result.complete(work.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            }
        }, new DeploymentOptions().setThreadingModel(model)).await();
        try {
            return result.get(60, TimeUnit.SECONDS);
        } finally {
            env.vertx.undeploy(deployment).await();
        }
    }
}
