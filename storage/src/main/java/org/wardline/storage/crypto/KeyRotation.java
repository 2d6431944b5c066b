package org.wardline.storage.crypto;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.storage.Blocking;
import org.wardline.storage.blob.BlobId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * KEK rotation without touching objects: a new KEK version becomes active, then every live data key is unwrapped
 * under its old version and wrapped again under the active one, in batches. The ciphertext in S3 never changes.
 * Once no live data key references an old version, {@link #retire} removes it from the provider.
 *
 * <p>Resumable: a run that stops (crash, restart, {@code maxBatches}) leaves each key either fully re-wrapped or
 * untouched, and the next run picks up the keys not yet under the active version. A key that cannot be unwrapped
 * is reported in {@link Result#failed()} and skipped, so one damaged key never stalls a rotation; it keeps its
 * old version in use, which {@link #retire} then refuses to remove.
 *
 * <p>Blocking (key provider calls, {@link Blocking#await} on the database): run it on a worker or virtual
 * thread, e.g. from {@code wardline keys rotate}.
 */
public final class KeyRotation {
    /** Default number of data keys read and re-wrapped per database round trip. */
    public static final int DEFAULT_BATCH_SIZE = 500;
    private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);

    private final KeyProvider keys;
    private final DataKeyStore dataKeys;
    private final int batchSize;

    public KeyRotation(KeyProvider keys, DataKeyStore dataKeys, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        this.keys = keys;
        this.dataKeys = dataKeys;
        this.batchSize = batchSize;
    }

    public KeyRotation(KeyProvider keys, DataKeyStore dataKeys) {
        this(keys, dataKeys, DEFAULT_BATCH_SIZE);
    }

    /** Creates a new KEK version, then re-wraps every live data key under it. */
    public Result rotate() {
        KekId next = keys.createKekVersion();
        LOG.info("key rotation: new key-encryption key {}", next);
        return rewrap(Integer.MAX_VALUE);
    }

    /** Re-wraps every live data key not yet under the active KEK version (finishes an interrupted rotation). */
    public Result rewrapAll() {
        return rewrap(Integer.MAX_VALUE);
    }

    /** Re-wraps at most {@code maxBatches} batches of live data keys not yet under the active KEK version. */
    public Result rewrap(int maxBatches) {
        KekId target = keys.activeKek();
        Optional<BlobId> after = Optional.empty();
        long rewrapped = 0;
        List<BlobId> failed = new ArrayList<>();
        for (int batchNumber = 0; batchNumber < maxBatches; batchNumber++) {
            List<DataKeyStore.StoredKey> batch =
                    Blocking.await(dataKeys.liveKeysNotUnder(target, after, batchSize));
            if (batch.isEmpty()) {
                break;
            }
            List<DataKeyStore.Rewrapped> replacements = new ArrayList<>(batch.size());
            for (DataKeyStore.StoredKey stored : batch) {
                byte[] aad = AssociatedData.forDataKey(stored.id());
                byte[] dataKey = null;
                try {
                    dataKey = keys.unwrap(stored.wrapped(), aad);
                    replacements.add(new DataKeyStore.Rewrapped(stored.id(), stored.wrapped().kek(),
                            keys.wrap(dataKey, aad)));
                } catch (KeyProviderException e) {
                    failed.add(stored.id());
                    LOG.warn("key rotation: data key of object {} could not be re-wrapped: {}", stored.id(),
                            e.getMessage());
                } finally {
                    if (dataKey != null) {
                        Arrays.fill(dataKey, (byte) 0);
                    }
                }
            }
            rewrapped += Blocking.await(dataKeys.replaceWrapping(replacements));
            after = Optional.of(batch.get(batch.size() - 1).id());
        }
        LOG.info("key rotation: {} data keys re-wrapped under {}, {} failed", rewrapped, target, failed.size());
        return new Result(target, rewrapped, List.copyOf(failed));
    }

    /** How many live data keys each KEK version wraps. */
    public Map<KekId, Long> usage() {
        return Blocking.await(dataKeys.countLiveByKek());
    }

    /**
     * Removes an old KEK version from the provider, after checking that no live data key references it.
     *
     * @throws KekStillInUseException when live data keys are still wrapped under it
     */
    public void retire(KekId kek) {
        long inUse = usage().getOrDefault(kek, 0L);
        if (inUse > 0) {
            throw new KekStillInUseException(kek, inUse);
        }
        keys.retireKek(kek);
    }

    /**
     * What a rotation run did.
     *
     * @param target    the KEK version keys were re-wrapped under
     * @param rewrapped how many data keys were re-wrapped
     * @param failed    objects whose data key could not be unwrapped (damaged, or its KEK is gone)
     */
    public record Result(KekId target, long rewrapped, List<BlobId> failed) {
    }
}
