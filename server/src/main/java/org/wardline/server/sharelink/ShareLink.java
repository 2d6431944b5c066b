package org.wardline.server.sharelink;

import org.wardline.protocol.Secret;
import org.wardline.storage.blob.BlobId;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A row of {@code share_links}. The recipient's address is PHI and stays wrapped in a {@link Secret}; the link
 * secret itself is never held here (only the server-side hash lives in the database).
 */
public record ShareLink(UUID id, UUID owner, BlobId object, RecipientKind recipientKind, Secret<String> recipient,
                        ShareMode mode, Instant createdAt, Instant expiresAt, int maxOpens, int opens,
                        int failedAttempts, Optional<Instant> lockedAt, Optional<Instant> revokedAt) {

    /** Revocation wins over lock, lock over expiry, expiry over exhaustion: the most final reason is shown. */
    public LinkStatus status(Instant now) {
        if (revokedAt.isPresent()) {
            return LinkStatus.REVOKED;
        }
        if (lockedAt.isPresent()) {
            return LinkStatus.LOCKED;
        }
        if (!now.isBefore(expiresAt)) {
            return LinkStatus.EXPIRED;
        }
        if (opens >= maxOpens) {
            return LinkStatus.EXHAUSTED;
        }
        return LinkStatus.ACTIVE;
    }

    @Override
    public String toString() {
        return "ShareLink[" + id + ", owner=" + owner + ", object=" + object + ", " + recipientKind + ", " + mode
                + ", opens=" + opens + "/" + maxOpens + "]";
    }
}
