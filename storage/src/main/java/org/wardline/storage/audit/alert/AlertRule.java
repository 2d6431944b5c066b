package org.wardline.storage.audit.alert;

import org.wardline.storage.audit.AuditEntry;

import java.util.List;

/**
 * Looks at audit entries one at a time, in chain order, and raises alerts. Rules may keep state (sliding
 * windows keyed by user or address); windows are measured on the entries' own times, so replaying the
 * same entries gives the same alerts. Not thread-safe: {@link AlertEngine} calls a rule from one thread
 * or Vert.x context at a time.
 */
public interface AlertRule {
    /** The stable code that {@link Alert#rule()} carries. */
    String code();

    List<Alert> evaluate(AuditEntry entry);
}
