package org.wardline.server.http;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.concurrent.TimeUnit;

/**
 * The worker pools that long, blocking transfers run on, apart from Vert.x's shared worker pool: a slow client holds
 * a thread of its own pool for as long as its upload or download lasts, so twenty slow downloads cannot stall sign-in
 * (Argon2), the DLP of small requests or anything else on the shared pool. The pools are shared by name within one
 * Vert.x instance, so every route that streams uses the same threads; their metrics carry {@code pool_name}.
 */
public final class StreamExecutors {
    /** Uploads and downloads of files (device listener, share links). */
    public static final String STREAMS = "wardline-streams";
    /** Rendering share-link pages to images (PDFBox, CPU-bound). */
    public static final String RENDERING = "wardline-rendering";
    static final int STREAM_THREADS = 128;
    static final int RENDER_THREADS = 4;

    private StreamExecutors() {
    }

    /** The transfer pool: a transfer may last as long as its per-write timeouts allow, so no blocked-thread warning. */
    public static WorkerExecutor streams(Vertx vertx) {
        return vertx.createSharedWorkerExecutor(STREAMS, STREAM_THREADS, 1, TimeUnit.HOURS);
    }

    public static WorkerExecutor rendering(Vertx vertx) {
        return vertx.createSharedWorkerExecutor(RENDERING, RENDER_THREADS, 2, TimeUnit.MINUTES);
    }
}
