package org.wardline.server.sharelink;

import org.wardline.protocol.ErrorCode;

/** Whether a link can still be opened, and if not, the error the patient page shows. */
public enum LinkStatus {
    ACTIVE(null),
    EXPIRED(ErrorCode.LINK_EXPIRED),
    REVOKED(ErrorCode.LINK_REVOKED),
    EXHAUSTED(ErrorCode.LINK_EXHAUSTED),
    LOCKED(ErrorCode.LINK_LOCKED);

    private final ErrorCode error;

    LinkStatus(ErrorCode error) {
        this.error = error;
    }

    /** The refusal for a link in this state; {@code null} for {@link #ACTIVE}. */
    public ErrorCode error() {
        return error;
    }
}
