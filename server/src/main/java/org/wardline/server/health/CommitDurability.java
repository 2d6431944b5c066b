package org.wardline.server.health;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.storage.db.Database;

import java.util.Optional;

/**
 * The start-up check that the configured PostgreSQL commits durably. With {@code synchronous_commit=off} a
 * message acknowledged to its sender can vanish in a PostgreSQL crash; the node still starts (the operator
 * may have chosen it) but says so loudly.
 */
public final class CommitDurability {
    private static final Logger LOG = LoggerFactory.getLogger(CommitDurability.class);

    private CommitDurability() {
    }

    /** Logs a warning when the database commits asynchronously; never fails the start for it. */
    public static Future<Void> warnIfAsynchronous(Database database) {
        return database.synchronousCommit()
                .map(setting -> {
                    warning(setting).ifPresent(LOG::warn);
                    return (Void) null;
                })
                .recover(e -> {
                    LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName())
                            .log("could not read PostgreSQL's synchronous_commit");
                    return Future.succeededFuture();
                });
    }

    /** The warning for a {@code synchronous_commit} value, or empty when commits wait for the WAL flush. */
    static Optional<String> warning(String synchronousCommit) {
        if (!"off".equalsIgnoreCase(synchronousCommit.trim())) {
            return Optional.empty();
        }
        return Optional.of("PostgreSQL runs with synchronous_commit=off: messages acknowledged to their senders can be "
                + "LOST if PostgreSQL crashes; set synchronous_commit=on for Wardline's database "
                + "(ALTER DATABASE ... SET synchronous_commit = on)");
    }
}
