package org.wardline.server.account;

/**
 * Alerts that must reach the security officer at once (break-glass). The alert rules engine
 * ({@code org.wardline.storage.audit}) connects e-mail and webhook delivery here; until then they are logged.
 */
@FunctionalInterface
public interface SecurityAlerts {
    void raise(AccountEvent event);

    SecurityAlerts LOG = e -> org.slf4j.LoggerFactory.getLogger("org.wardline.alert").atWarn()
            .addKeyValue("event", e.type().name()).addKeyValue("userId", e.actorUserId())
            .addKeyValue("objectType", e.objectType()).addKeyValue("objectId", e.objectId()).log("security alert");
}
