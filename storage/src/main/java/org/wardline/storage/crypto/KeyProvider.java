package org.wardline.storage.crypto;

import java.util.List;

/**
 * Holds the key-encryption keys (KEKs) that wrap per-object data keys, and never lets them out: callers hand in a
 * data key and get it back wrapped, or hand in a wrapped key and get the data key. A KEK has versions; new data
 * keys are wrapped under the active (newest) version, and every version that still wraps a live data key must be
 * kept until {@link KeyRotation} has re-wrapped those keys.
 *
 * <p>Implementations: {@link LocalKeystoreKeyProvider} (default: a Tink keyset in a file, encrypted under a key
 * derived from a passphrase). An external KMS plugs in by implementing this interface; for HashiCorp Vault's
 * transit engine, one named transit key serves as the KEK:
 * <ul>
 *   <li>{@link #wrap}: {@code POST transit/encrypt/<key>} with the data key (base64) as {@code plaintext} and the
 *       associated data as {@code associated_data} (AES-GCM keys); the answer {@code vault:v<n>:…} gives both the
 *       ciphertext and the version, returned as {@code KekId("vault:<key>:<n>")};</li>
 *   <li>{@link #unwrap}: {@code POST transit/decrypt/<key>}; Vault picks the version from the ciphertext prefix,
 *       and the implementation checks that it matches the stated {@link KekId};</li>
 *   <li>{@link #createKekVersion}: {@code POST transit/keys/<key>/rotate}; {@link #kekIds} and
 *       {@link #activeKek}: {@code GET transit/keys/<key>} ({@code latest_version}, {@code min_decryption_version});</li>
 *   <li>{@link #retireKek}: raise {@code min_decryption_version} past the retired version (Vault retires versions
 *       in order), then {@code trim} when desired.</li>
 * </ul>
 * Its token comes from the environment or a Vault agent, held as a {@link org.wardline.storage.Secret}; requests
 * are blocking HTTP calls like the rest of this interface. Vault's own {@code rewrap} endpoint could serve
 * rotation, but {@link KeyRotation} works through {@link #unwrap}/{@link #wrap} for every provider.
 *
 * <p>All methods may block (file or network I/O); call them on worker or virtual threads. Implementations are
 * thread-safe. Failures are {@link KeyProviderException}s; their messages never contain key material.
 */
public interface KeyProvider {

    /** The KEK version {@link #wrap} uses. */
    KekId activeKek();

    /** Every KEK version that can still unwrap, oldest first; includes {@link #activeKek()}. */
    List<KekId> kekIds();

    /**
     * Encrypts a data key under the active KEK version, binding it to {@code associatedData} (the object's id),
     * so the wrapped key cannot be moved to another object.
     */
    WrappedDataKey wrap(byte[] dataKey, byte[] associatedData);

    /**
     * Encrypts a data key under a named KEK version (Vault transit: the {@code key_version} parameter).
     *
     * @throws UnknownKekException when that version does not exist
     */
    WrappedDataKey wrap(KekId kek, byte[] dataKey, byte[] associatedData);

    /**
     * Decrypts a wrapped data key under exactly the KEK version it names.
     *
     * @throws UnknownKekException when that KEK version does not exist (retired, or another keystore)
     * @throws KeyUnwrapException  when the wrapped key does not authenticate: altered, wrapped under another
     *                             KEK, or bound to other associated data
     */
    byte[] unwrap(WrappedDataKey wrapped, byte[] associatedData);

    /** Creates a new KEK version and makes it the active one; older versions still unwrap. */
    KekId createKekVersion();

    /**
     * Removes a KEK version for good: every data key still wrapped under it becomes unrecoverable. Callers go
     * through {@link KeyRotation#retire}, which first checks that no live data key references it.
     *
     * @throws IllegalStateException when {@code kek} is the active version
     * @throws UnknownKekException   when there is no such version
     */
    void retireKek(KekId kek);
}
