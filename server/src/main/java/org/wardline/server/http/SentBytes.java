package org.wardline.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.wardline.storage.audit.AuditDetails;

import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * What a streamed response delivered: the bytes the connection accepted and whether the response ended with all
 * of them. A download's audit entry states these, so a security officer can tell a file sent whole from one the
 * client abandoned.
 *
 * @param bytes     bytes whose write the connection accepted
 * @param expected  bytes the response announced
 * @param completed true when every byte was written and the response ended
 */
public record SentBytes(long bytes, long expected, boolean completed) {
    private static final long WRITE_TIMEOUT_SECONDS = 60;

    /**
     * Copies a stream into the response chunk by chunk, waiting for each write (bounded memory, back-pressure).
     * Blocks: call it off the event loop. A reset connection, a write that times out or a failing source ends the
     * copy; the result says how far it got instead of throwing.
     */
    public static SentBytes pump(InputStream in, HttpServerResponse response, int chunk, long expected) {
        byte[] buf = new byte[chunk];
        long sent = 0;
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                response.write(Buffer.buffer(n).appendBytes(buf, 0, n)).toCompletionStage().toCompletableFuture()
                        .get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                sent += n;
            }
            response.end().toCompletionStage().toCompletableFuture().get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new SentBytes(sent, expected, sent == expected);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return abandoned(response, sent, expected);
        } catch (Exception e) {
            return abandoned(response, sent, expected);
        }
    }

    private static SentBytes abandoned(HttpServerResponse response, long sent, long expected) {
        if (!response.closed()) {
            response.reset();
        }
        return new SentBytes(sent, expected, false);
    }

    /** The entry's details: how the reader was allowed ({@code via}), bytes sent and expected, completed. */
    public AuditDetails details(String via) {
        AuditDetails.Builder d = AuditDetails.builder().put("bytesSent", bytes).put("bytesExpected", expected)
                .put("completed", completed);
        if (via != null) {
            d.putCode("via", via);
        }
        return d.build();
    }
}
