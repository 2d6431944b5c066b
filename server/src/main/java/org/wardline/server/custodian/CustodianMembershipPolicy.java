package org.wardline.server.custodian;

import io.vertx.core.Future;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.AccountEvents;
import org.wardline.server.audit.RequestAudit;
import org.wardline.server.delivery.MembershipPolicy;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.audit.AuditReceipt;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The records custodian in conversations (ADR 0010), around the care-team policy: a custodian device is let into a
 * conversation only while an active hold naming its custodian covers that conversation (a commit adding it is
 * audited), its key packages may be claimed only by a member of such a conversation, and a custodian device adds
 * no one. Every other decision is the wrapped policy's. Refusals are access denials with a reason, like the wrapped
 * policy's.
 */
public final class CustodianMembershipPolicy implements MembershipPolicy {
    public static final AuditAction CUSTODIAN_ADDED = new AuditAction("legalhold.custodian_added");

    private final MembershipPolicy careTeams;
    private final RecordsCustodians custodians;
    private final AccountEvents events;
    private final AuditLog audit;

    public CustodianMembershipPolicy(MembershipPolicy careTeams, RecordsCustodians custodians, AccountEvents events,
                                     AuditLog audit) {
        this.careTeams = careTeams;
        this.custodians = custodians;
        this.events = events;
        this.audit = audit;
    }

    @Override
    public Future<Boolean> mayAdd(DeviceUri actor, UUID memberUser) {
        return decide(actor, memberUser, () -> custodians.coversAnyConversationOf(actor.user(), memberUser)
                        .map(any -> any ? Optional.of(-1L) : Optional.<Long>empty()),
                () -> careTeams.mayAdd(actor, memberUser), false);
    }

    @Override
    public Future<Boolean> mayAddTo(DeviceUri actor, UUID memberUser, byte[] groupId) {
        return decide(actor, memberUser, () -> custodians.covering(groupId, memberUser),
                () -> careTeams.mayAddTo(actor, memberUser, groupId), true);
    }

    private Future<Boolean> decide(DeviceUri actor, UUID memberUser, Supplier<Future<Optional<Long>>> held,
                                   Supplier<Future<Boolean>> otherwise, boolean commit) {
        return custodians.isCustodian(actor.user()).compose(actorIsCustodian -> {
            if (actorIsCustodian) {
                return deny(actor, memberUser, "custodian_adds_no_one");
            }
            return custodians.isCustodian(memberUser).compose(memberIsCustodian -> {
                if (!memberIsCustodian) {
                    return otherwise.get();
                }
                // The actor's own standing (active, may send, trained) is the wrapped policy's "own devices" case.
                return careTeams.mayAdd(actor, actor.user()).compose(standing -> !standing ? Future.succeededFuture(false)
                        : held.get().compose(conversation -> {
                            if (conversation.isEmpty()) {
                                return deny(actor, memberUser, "custodian_not_held");
                            }
                            if (!commit) {
                                return Future.succeededFuture(true);
                            }
                            return custodianAdded(actor, memberUser, conversation.get());
                        }));
            });
        });
    }

    /** The commit adding a custodian goes on only once its entry is in the trail. */
    private Future<Boolean> custodianAdded(DeviceUri actor, UUID custodian, long conversation) {
        Future<AuditReceipt> written;
        try {
            written = audit.record(AuditEvent.builder(CUSTODIAN_ADDED, AuditOutcome.SUCCESS)
                    .actor(actor.user(), actor.device()).object("conversation", Long.toString(conversation))
                    .details(AuditDetails.builder().put("custodian", custodian).build()).build());
        } catch (RuntimeException refused) {
            written = Future.failedFuture(refused);
        }
        return written.transform(ar -> {
            if (ar.succeeded()) {
                return Future.succeededFuture(true);
            }
            RequestAudit.countUnwritten(CUSTODIAN_ADDED);
            return Future.failedFuture(new WardlineHttpException(ErrorCode.AUDIT_UNAVAILABLE));
        });
    }

    private Future<Boolean> deny(DeviceUri actor, UUID member, String why) {
        events.record(AccountEvent.of(AccountEvent.Type.ACCESS_DENIED, AccountEvent.Outcome.DENIED)
                .actor(actor.user(), actor.device()).object("user", member).detail("conversation_member:" + why).build());
        return Future.succeededFuture(false);
    }

    @Override
    public String name() {
        return "records-custodian+" + careTeams.name();
    }
}
