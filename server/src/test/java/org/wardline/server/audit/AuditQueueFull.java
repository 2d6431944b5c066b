package org.wardline.server.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import org.wardline.server.WardlineServer;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.audit.AuditReceipt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real audit trail made unable to take an entry: another transaction holds the chain head, and the log's queue
 * is filled until it refuses. Closing releases the head and waits for the queued entries to be written.
 */
public final class AuditQueueFull implements AutoCloseable {
    private final SqlConnection holder;
    private final Transaction tx;
    private final List<Future<AuditReceipt>> fillers = new ArrayList<>();

    private AuditQueueFull(SqlConnection holder, Transaction tx) {
        this.holder = holder;
        this.tx = tx;
    }

    public static AuditQueueFull of(WardlineServer server) throws Exception {
        SqlConnection holder = await(server.database().pool().getConnection());
        Transaction tx = await(holder.begin());
        AuditQueueFull full = new AuditQueueFull(holder, tx);
        await(holder.query("SELECT last_seq FROM audit_chain_head WHERE id = 1 FOR UPDATE").execute());
        full.fill(server.audit());
        return full;
    }

    private void fill(AuditLog audit) {
        AuditEvent filler = AuditEvent.builder(new AuditAction("test.filler"), AuditOutcome.SUCCESS).build();
        for (int i = 0; i <= AuditLog.MAX_QUEUED + AuditLog.MAX_BATCH; i++) {
            Future<AuditReceipt> f = audit.record(filler);
            if (f.failed()) {
                return;
            }
            fillers.add(f);
        }
        throw new AssertionError("the audit queue never filled");
    }

    @Override
    public void close() throws Exception {
        try {
            await(tx.rollback());
        } finally {
            holder.close();
        }
        for (Future<AuditReceipt> f : fillers) {
            f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
