package org.wardline.clients.messaging;

import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceMlsIdentity;
import org.wardline.protocol.mls.KeyPackageBundle;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The key packages one {@link MessagingClient} publishes so others can add it, with their private halves: a batch
 * of one-time packages topped up when it runs low, and a last-resort package. The private keys are made durable
 * before the packages are published, so a Welcome to any published package can always be opened, after a restart
 * too. Runs on the client's actor thread.
 */
final class KeyPackageSupply {
    static final int LOW = 3;
    static final int BATCH = 8;

    /** What publishing needs of the client. */
    interface Client {
        /** Makes the device state, these bundles included, durable; a failure propagates. */
        void persist();

        /** Sends the upload and waits for the server's answer. */
        Frame await(Frame upload) throws Exception;
    }

    private final DeviceMlsIdentity identity;
    /** The packages the server holds were published by a run whose private keys this device still has. */
    private final boolean restored;
    private final List<KeyPackageBundle> bundles = new ArrayList<>();
    private KeyPackageBundle lastResort;
    private boolean uploadedSinceStart;

    KeyPackageSupply(DeviceMlsIdentity identity, boolean restored) {
        this.identity = identity;
        this.restored = restored;
    }

    /** The one-time bundles held, for saving with the device state. */
    List<KeyPackageBundle> bundles() {
        return Collections.unmodifiableList(bundles);
    }

    /** The last-resort bundle, null until one was made. */
    KeyPackageBundle lastResort() {
        return lastResort;
    }

    /** Replaces what is held by a saved state's bundles (at start, or after going back to the last durable state). */
    void restore(List<KeyPackageBundle> saved, KeyPackageBundle savedLastResort) {
        bundles.clear();
        bundles.addAll(saved);
        lastResort = savedLastResort;
    }

    /** Forgets every private key (remote wipe). */
    void clear() {
        bundles.clear();
        lastResort = null;
    }

    boolean low() {
        return bundles.size() < LOW;
    }

    /** The bundle whose package this Welcome is for: a one-time one first, else the last-resort one. */
    Optional<KeyPackageBundle> matching(byte[] welcome) {
        for (KeyPackageBundle b : bundles) {
            if (ConversationGroup.welcomes(b, welcome)) {
                return Optional.of(b);
            }
        }
        return lastResort != null && ConversationGroup.welcomes(lastResort, welcome) ? Optional.of(lastResort) : Optional.empty();
    }

    /** A one-time bundle was used by a join: it is never used again (the last-resort one stays). */
    void used(KeyPackageBundle bundle) {
        bundles.remove(bundle);
    }

    /** Publishes a fresh batch (and a last-resort package if none) when few are left; nothing otherwise. */
    void topUp(Client client) throws Exception {
        if (bundles.size() >= LOW && lastResort != null) {
            return;
        }
        Frame upload = Frame.of(FrameType.UPLOAD_KEY_PACKAGES, 0);
        if (!uploadedSinceStart && !restored) {
            upload = upload.with(Tag.REPLACE, 1); // packages from an earlier run: their private keys are gone
        }
        List<KeyPackageBundle> fresh = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            KeyPackageBundle b = identity.newKeyPackage();
            fresh.add(b);
            upload = upload.with(Tag.KEY_PACKAGE, b.encoded());
        }
        KeyPackageBundle newLastResort = lastResort == null ? identity.newKeyPackage() : null;
        if (newLastResort != null) {
            upload = upload.with(Tag.LAST_RESORT, newLastResort.encoded());
        }
        // The private keys are durable before the packages are published: a Welcome to one can always be opened.
        bundles.addAll(fresh);
        KeyPackageBundle previousLastResort = lastResort;
        if (newLastResort != null) {
            lastResort = newLastResort;
        }
        client.persist();
        try {
            client.await(upload);
        } catch (Exception e) {
            bundles.removeAll(fresh);
            lastResort = previousLastResort;
            throw e;
        }
        uploadedSinceStart = true;
    }
}
