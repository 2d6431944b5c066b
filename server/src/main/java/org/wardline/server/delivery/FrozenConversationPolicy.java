package org.wardline.server.delivery;

import io.vertx.core.Future;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.AccountEvents;

import java.util.UUID;

/**
 * Around a membership policy: a commit that adds anyone to a frozen conversation is refused with
 * {@link ErrorCode#CONVERSATION_FROZEN} and recorded as an access denial; everything else is the wrapped policy's.
 */
public final class FrozenConversationPolicy implements MembershipPolicy {
    private final MembershipPolicy wrapped;
    private final ConversationFreezes freezes;
    private final AccountEvents events;

    public FrozenConversationPolicy(MembershipPolicy wrapped, ConversationFreezes freezes, AccountEvents events) {
        this.wrapped = wrapped;
        this.freezes = freezes;
        this.events = events;
    }

    @Override
    public Future<Boolean> mayAdd(DeviceUri actor, UUID memberUser) {
        return wrapped.mayAdd(actor, memberUser);
    }

    @Override
    public Future<Boolean> mayAddTo(DeviceUri actor, UUID memberUser, byte[] groupId) {
        return freezes.isFrozen(groupId).compose(frozen -> {
            if (!frozen) {
                return wrapped.mayAddTo(actor, memberUser, groupId);
            }
            events.record(AccountEvent.of(AccountEvent.Type.ACCESS_DENIED, AccountEvent.Outcome.DENIED)
                    .actor(actor.user(), actor.device()).object("user", memberUser).detail("conversation_member:frozen").build());
            return Future.failedFuture(new DeliveryException(ErrorCode.CONVERSATION_FROZEN, "conversation frozen"));
        });
    }

    @Override
    public String name() {
        return "frozen+" + wrapped.name();
    }
}
