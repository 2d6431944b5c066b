package org.wardline.storage.crypto;

/**
 * Argon2id cost parameters for deriving the keystore's master key from its passphrase. Stored in the keystore
 * file, so a keystore always opens with the parameters it was created with.
 *
 * @param memoryKiB   memory in KiB; at least 19,456 (19 MiB, the OWASP minimum for Argon2id)
 * @param iterations  passes over memory; at least 2
 * @param parallelism lanes; 1–16
 */
public record KdfParameters(int memoryKiB, int iterations, int parallelism) {
    /** RFC 9106's second recommended option, 64 MiB and 3 passes: about half a second per open here. */
    public static final KdfParameters DEFAULT = new KdfParameters(64 * 1024, 3, 1);
    /** The lowest cost accepted (OWASP: 19 MiB, 2 passes); for tests and small machines. */
    public static final KdfParameters MINIMUM = new KdfParameters(19 * 1024, 2, 1);

    public KdfParameters {
        if (memoryKiB < 19 * 1024 || memoryKiB > 4 * 1024 * 1024) {
            throw new IllegalArgumentException("Argon2id memory must be between 19 MiB and 4 GiB");
        }
        if (iterations < 2 || iterations > 100) {
            throw new IllegalArgumentException("Argon2id iterations must be between 2 and 100");
        }
        if (parallelism < 1 || parallelism > 16) {
            throw new IllegalArgumentException("Argon2id parallelism must be between 1 and 16");
        }
    }
}
