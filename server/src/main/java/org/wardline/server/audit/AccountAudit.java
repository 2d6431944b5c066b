package org.wardline.server.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.AccountEvents;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditFlag;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;

import java.util.Locale;

/**
 * Records sign-ins, MFA, session, role and break-glass events in the hash-chained audit trail. The action
 * code is {@code account.<type>} except where the trail already names the action (sign-in, break-glass …).
 */
public final class AccountAudit implements AccountEvents {
    private static final Logger LOG = LoggerFactory.getLogger(AccountAudit.class);

    private final AuditLog audit;
    private final java.util.function.Consumer<AccountEvent> written;

    public AccountAudit(AuditLog audit) {
        this(audit, e -> { });
    }

    /** {@code written} hears each event once its entry is committed (the alert rules read break-glass at once). */
    public AccountAudit(AuditLog audit, java.util.function.Consumer<AccountEvent> written) {
        this.audit = audit;
        this.written = written;
    }

    static AuditAction action(AccountEvent e) {
        return switch (e.type()) {
            case SIGN_IN, SIGN_IN_MFA -> e.outcome() == AccountEvent.Outcome.SUCCESS ? AuditAction.SIGNIN_SUCCEEDED
                    : AuditAction.SIGNIN_FAILED;
            case SIGN_OUT -> AuditAction.SIGNOUT;
            case MFA_ENROLLED -> AuditAction.MFA_ENROLLED;
            case MFA_RESET, MFA_REMOVED -> AuditAction.MFA_REMOVED;
            case TOKEN_REJECTED -> AuditAction.TOKEN_REFUSED;
            case REFRESH_REUSE -> AuditAction.REFRESH_REUSED;
            case USER_CREATED -> AuditAction.USER_CREATED;
            case USER_DISABLED -> AuditAction.USER_DISABLED;
            case BREAK_GLASS_STARTED -> AuditAction.BREAKGLASS_STARTED;
            default -> new AuditAction("account." + e.type().name().toLowerCase(Locale.ROOT));
        };
    }

    @Override
    public void record(AccountEvent e) {
        recordDurably(e);
    }

    /** Writes the entry; the future fails when it is not in the trail (the caller may refuse the change). */
    @Override
    public io.vertx.core.Future<Void> recordDurably(AccountEvent e) {
        AuditEvent.Builder event = AuditEvent.builder(action(e), switch (e.outcome()) {
            case SUCCESS -> AuditOutcome.SUCCESS;
            case FAILURE -> AuditOutcome.FAILURE;
            case DENIED -> AuditOutcome.DENIED;
        });
        if (e.actorUserId() != null || e.actorDeviceId() != null) {
            event.actor(e.actorUserId(), e.actorDeviceId());
        }
        if (e.objectType() != null && e.objectId() != null) {
            event.object(e.objectType(), e.objectId());
        }
        if (e.requestId() != null && !"none".equals(e.requestId())) {
            event.requestId(e.requestId());
        }
        if (e.type() == AccountEvent.Type.BREAK_GLASS_STARTED || e.type() == AccountEvent.Type.BREAK_GLASS_ACCESS) {
            event.flag(AuditFlag.BREAK_GLASS);
        }
        SourceAddresses.parse(e.sourceIp()).ifPresent(event::sourceIp);
        if (!e.details().isEmpty()) {
            event.details(e.details());
        } else if (e.detail() != null) {
            try {
                event.details(AuditDetails.builder().putCode("reason", e.detail()).build());
            } catch (IllegalArgumentException notACode) {
                LOG.atWarn().addKeyValue("eventType", e.type().name()).log("audit detail left out: not a short code");
            }
        }
        try {
            return audit.record(event.build()).onSuccess(receipt -> written.accept(e)).onFailure(err -> {
                RequestAudit.countUnwritten(action(e));
                LOG.atError().addKeyValue("eventType", e.type().name()).addKeyValue("errorType", err.getClass().getSimpleName())
                        .log("account event not written to the audit trail");
            }).mapEmpty();
        } catch (IllegalArgumentException | IllegalStateException invalid) {
            RequestAudit.countUnwritten(action(e));
            LOG.atError().addKeyValue("eventType", e.type().name()).log("account event not auditable: invalid field");
            return io.vertx.core.Future.failedFuture(invalid);
        }
    }
}
