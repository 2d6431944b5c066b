package org.wardline.server.upload;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.wardline.server.http.ConnectionClosure;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blocking InputStream over a request body, for code on a worker thread. Holds at most a few chunks:
 * the request is paused when the reader falls behind and resumed when it catches up, so memory stays
 * bounded whatever the body's size. A body that ends without its end (client gone, connection reset) reads
 * as an {@link UploadTruncatedException}; one over {@code maxBytes} as an {@link UploadTooLargeException}.
 *
 * <p>Create it on the request's event loop, before the handler returns. The data in flight stays queued in
 * this stream only; whatever arrived before it existed is delivered by the paused request when it resumes.
 */
final class RequestBodyStream extends InputStream {
    private static final int PAUSE_AT = 32;
    private static final int RESUME_AT = 8;
    private static final Object END = new Object();
    private static final long IDLE_TIMEOUT_SECONDS = 120;

    private final HttpServerRequest request;
    private final Context context;
    private final long maxBytes;
    private final LinkedBlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean paused;
    private Buffer current;
    private int position;
    private long total;
    private boolean ended;

    RequestBodyStream(RoutingContext ctx, long maxBytes) {
        HttpServerRequest request = ctx.request();
        this.request = request;
        this.context = Vertx.currentContext();
        this.maxBytes = maxBytes;
        request.handler(chunk -> {
            chunks.add(chunk);
            if (queued.incrementAndGet() >= PAUSE_AT && !paused) {
                paused = true;
                request.pause();
            }
        });
        request.endHandler(v -> chunks.add(END));
        request.exceptionHandler(t -> chunks.add(new UploadTruncatedException(t)));
        if (ConnectionClosure.closed(ctx)) {
            chunks.add(new UploadTruncatedException(new IOException("connection closed before the body was read")));
        }
        request.resume();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || position >= current.length()) {
            if (ended) {
                return -1;
            }
            Object next = take();
            if (next == END) {
                ended = true;
                return -1;
            }
            if (next instanceof IOException e) {
                ended = true;
                throw e;
            }
            current = (Buffer) next;
            position = 0;
            total += current.length();
            if (total > maxBytes) {
                ended = true;
                throw new UploadTooLargeException(maxBytes);
            }
            if (queued.decrementAndGet() <= RESUME_AT && paused) {
                paused = false;
                context.runOnContext(v -> request.resume());
            }
        }
        int n = Math.min(len, current.length() - position);
        current.getBytes(position, position + n, b, off);
        position += n;
        return n;
    }

    private Object take() throws IOException {
        try {
            Object next = chunks.poll(IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (next == null) {
                throw new UploadTruncatedException(new IOException("no data for " + IDLE_TIMEOUT_SECONDS + " s"));
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UploadTruncatedException(e);
        }
    }

    long bytesRead() {
        return total;
    }
}
