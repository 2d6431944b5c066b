package org.wardline.storage.audit.alert;

import io.vertx.core.Future;

import org.wardline.storage.audit.AuditEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs the alert rules over audit entries in chain order and hands what they raise to the sink. Call it
 * from one thread or Vert.x context; run one engine per deployment (the node that runs scheduled jobs),
 * fed by an {@link AuditAlertFeed}, so that windows see every node's entries exactly once.
 */
public final class AlertEngine {
    private final List<AlertRule> rules;
    private final AlertSink sink;

    public AlertEngine(List<AlertRule> rules, AlertSink sink) {
        this.rules = List.copyOf(rules);
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** The standard rules: failed sign-in bursts, bulk downloads, off-hours access, break-glass, failed backups, a broken audit chain, a locked share link, and outside-teams access if enabled. */
    public static AlertEngine fromConfig(AlertRulesConfig config, AlertSink sink) {
        List<AlertRule> rules = new ArrayList<>();
        rules.add(new FailedSignInBurstRule(config.failedSignIns()));
        rules.add(new BulkDownloadRule(config.bulkDownloads()));
        rules.add(new OffHoursAccessRule(config.offHours()));
        rules.add(new BreakGlassRule());
        rules.add(new BackupFailedRule());
        rules.add(new AuditChainBrokenRule());
        rules.add(new IncidentDeadlineRule());
        rules.add(new ShareLinkLockedRule());
        if (config.outsideTeams()) {
            rules.add(new OutsideTeamsRule());
        }
        return new AlertEngine(rules, sink);
    }

    /** Evaluates every rule against the entries, in order, without sending anything. */
    public List<Alert> evaluate(List<AuditEntry> entries) {
        List<Alert> alerts = new ArrayList<>();
        for (AuditEntry entry : entries) {
            for (AlertRule rule : rules) {
                alerts.addAll(rule.evaluate(entry));
            }
        }
        return alerts;
    }

    /**
     * Evaluates the entries and sends the alerts. The rules' state advances even if sending fails; the
     * future then fails with an {@link AlertDeliveryException} listing the alerts the sink refused.
     */
    public Future<List<Alert>> process(List<AuditEntry> entries) {
        List<Alert> alerts = evaluate(entries);
        if (alerts.isEmpty()) {
            return Future.succeededFuture(alerts);
        }
        List<Future<Void>> sends = new ArrayList<>(alerts.size());
        for (Alert alert : alerts) {
            Future<Void> sent;
            try {
                sent = sink.send(alert);
            } catch (RuntimeException e) {
                sent = Future.failedFuture(e);
            }
            sends.add(sent);
        }
        return Future.join(sends).transform(done -> {
            List<Alert> undelivered = new ArrayList<>();
            for (int i = 0; i < sends.size(); i++) {
                if (sends.get(i).failed()) {
                    undelivered.add(alerts.get(i));
                }
            }
            return undelivered.isEmpty()
                    ? Future.succeededFuture(alerts)
                    : Future.failedFuture(new AlertDeliveryException(undelivered));
        });
    }
}
