package org.wardline.server.auth.dpop;

import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProofUse;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InMemoryDPoPSingleUseChecker;
import com.nimbusds.oauth2.sdk.util.singleuse.AlreadyUsedException;
import com.nimbusds.oauth2.sdk.util.singleuse.SingleUseChecker;

/**
 * The proofs this node has seen, each remembered while it could still be replayed: Nimbus's in-memory checker with a
 * bound. When full it refuses new proofs ({@link Full}) rather than grow; {@link #close()} stops its purge timer.
 */
final class ReplayCache implements SingleUseChecker<DPoPProofUse>, AutoCloseable {
    private final InMemoryDPoPSingleUseChecker seen;
    private final int capacity;

    ReplayCache(long rememberSeconds, int capacity) {
        this.seen = new InMemoryDPoPSingleUseChecker(rememberSeconds, 30);
        this.capacity = capacity;
    }

    @Override
    public void markAsUsed(DPoPProofUse use) throws AlreadyUsedException {
        if (seen.getCacheSize() >= capacity) {
            throw new Full();
        }
        seen.markAsUsed(use);
    }

    @Override
    public void close() {
        seen.shutdown();
    }

    /** Too many proofs within the window: the request is refused, nothing is forgotten. */
    static final class Full extends RuntimeException {
        Full() {
            super("the DPoP replay cache is full", null, false, false);
        }
    }
}
