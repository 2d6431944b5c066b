package org.wardline.server.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.storage.audit.AuditExporter;
import org.wardline.storage.audit.ExportFormat;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;

/**
 * {@code wardline audit export} over the admin API: the same {@link AuditExporter} (JDBC, so on a worker thread),
 * the same formats, for a time range. The answer is held in memory up to {@value #MAX_BYTES} bytes; a longer range
 * is refused with {@code request.too_large} (export it in parts, or run {@code wardline audit export} on the server).
 */
public final class AuditExport {
    static final int MAX_BYTES = 64 << 20;

    private final Vertx vertx;
    private final DataSource dataSource;

    public AuditExport(Vertx vertx, DataSource dataSource) {
        this.vertx = vertx;
        this.dataSource = dataSource;
    }

    /** The export and how many entries it holds. */
    public record Export(byte[] content, long entries, ExportFormat format) {
    }

    /** What an export covers: the checked time range and format. */
    public record Range(Instant from, Instant to, ExportFormat format) {
    }

    /** Checks the query's range and format; bad input fails with {@code request.invalid} before anything is read. */
    public static Range range(String from, String to, String format) {
        Instant start;
        Instant end;
        ExportFormat fmt;
        try {
            start = AuditExporter.parseTime(from);
            end = AuditExporter.parseTime(to);
            fmt = ExportFormat.parse(format == null ? "jsonl" : format);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
        if (!start.isBefore(end)) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
        return new Range(start, end, fmt);
    }

    public Future<Export> export(Range range) {
        Instant start = range.from();
        Instant end = range.to();
        ExportFormat fmt = range.format();
        return vertx.executeBlocking(() -> {
            Bounded out = new Bounded();
            try {
                long n = AuditExporter.export(dataSource, start, end, fmt, out);
                return new Export(out.toByteArray(), n, fmt);
            } catch (java.io.UncheckedIOException e) {
                if (e.getCause() instanceof TooLarge) {
                    throw new WardlineHttpException(ErrorCode.PAYLOAD_TOO_LARGE);
                }
                throw e;
            }
        }, false);
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("audit export over " + MAX_BYTES + " bytes", null);
        }
    }

    private static final class Bounded extends ByteArrayOutputStream {
        @Override
        public synchronized void write(byte[] b, int off, int len) {
            check(len);
            super.write(b, off, len);
        }

        @Override
        public synchronized void write(int b) {
            check(1);
            super.write(b);
        }

        private void check(int more) {
            if (count + more > MAX_BYTES) {
                throw new java.io.UncheckedIOException(new TooLarge());
            }
        }
    }
}
