package org.wardline.storage.object;

/** Where a stored object is in its life. Only {@link #COMMITTED} objects are ever served to users. */
public enum ObjectState {
    /** Ciphertext being written, or written and awaiting the inspection verdict. Invisible. */
    PENDING,
    /** Clean verdict: visible, downloadable, shareable. Ciphertext in the committed bucket. */
    COMMITTED,
    /** Blocked and kept for review: ciphertext in the quarantine bucket, data key kept. Invisible to users. */
    QUARANTINED,
    /** Ciphertext deleted and data key destroyed. The row remains as the record. */
    DELETED
}
