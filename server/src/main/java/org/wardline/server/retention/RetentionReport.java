package org.wardline.server.retention;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one retention run deleted (or, in a dry run, would delete): per kind the count and the IDs, how many were
 * verified gone and how many failed; and the audit entries past audit retention, which are not pruned (see
 * docs/audit-trail.md).
 */
public record RetentionReport(boolean dryRun, Instant startedAt, Instant finishedAt, List<Section> sections,
                              ExpiredData.AuditBacklog audit) {
    /** Listed IDs per kind; the count is always complete. */
    public static final int MAX_LISTED = 1000;

    /** One kind's result. {@code verified} counts items checked gone after deletion (0 in a dry run). */
    public record Section(RetentionKind kind, long count, long verified, long failed, List<String> ids) {
    }

    /** Collects one kind's result while a run goes. */
    static final class Tally {
        private final RetentionKind kind;
        private long count;
        private long verified;
        private long failed;
        private final List<String> ids = new ArrayList<>();

        Tally(RetentionKind kind) {
            this.kind = kind;
        }

        void done(List<?> batch, long verifiedGone) {
            count += batch.size();
            verified += verifiedGone;
            for (Object id : batch) {
                if (ids.size() < MAX_LISTED) {
                    ids.add(String.valueOf(id));
                }
            }
        }

        void failed() {
            failed++;
        }

        Section section() {
            return new Section(kind, count, verified, failed, List.copyOf(ids));
        }
    }

    public Section section(RetentionKind kind) {
        return sections.stream().filter(s -> s.kind() == kind).findFirst().orElseThrow();
    }

    public JsonObject toJson() {
        JsonObject out = new JsonObject().put("dryRun", dryRun).put("startedAt", startedAt.toString())
                .put("finishedAt", finishedAt.toString());
        for (Section s : sections) {
            out.put(s.kind().wireName(), new JsonObject().put("count", s.count()).put("verifiedGone", s.verified())
                    .put("failed", s.failed()).put("ids", new JsonArray(new ArrayList<>(s.ids())))
                    .put("idsTruncated", s.count() > s.ids().size()));
        }
        out.put("audit", new JsonObject().put("retentionDays", audit.retentionDays())
                .put("entriesPastRetention", audit.entries()).put("firstSeq", audit.firstSeq()).put("lastSeq", audit.lastSeq())
                .put("pruned", 0)
                .put("reason", "append_only: audit entries are never deleted by the server; export them, then archive "
                        + "the database per docs/audit-trail.md"));
        return out;
    }
}
