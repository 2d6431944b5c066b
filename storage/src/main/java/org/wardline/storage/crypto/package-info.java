/**
 * Keys for encryption at rest.
 *
 * <p>Hierarchy: a passphrase (environment) → Argon2id → master key, which seals the keystore file → key-encryption
 * keys (KEKs, versioned, in {@link org.wardline.storage.crypto.KeyProvider}) → one data key per object (Tink
 * streaming AEAD, AES-256-GCM-HKDF, 1 MiB segments), stored only wrapped, in the {@code data_keys} table
 * ({@link org.wardline.storage.crypto.DataKeyStore}) → the object's ciphertext in S3.
 *
 * <p>Rotation ({@link org.wardline.storage.crypto.KeyRotation}) re-wraps data keys under a new KEK version without
 * touching objects; destroying a data key is crypto-erasure. An external KMS (Vault transit) replaces the local
 * keystore by implementing {@code KeyProvider}; see its javadoc.
 */
package org.wardline.storage.crypto;
