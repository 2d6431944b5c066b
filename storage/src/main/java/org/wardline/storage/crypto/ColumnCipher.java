package org.wardline.storage.crypto;

import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.subtle.Hkdf;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.wardline.storage.blob.BlobId;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

/**
 * Encrypts personal data kept in PostgreSQL columns (a patient's e-mail address or phone number, a clinician's e-mail
 * address) and gives a keyed hash (HMAC-SHA256) of it for the lookups that need equality. One data key serves a
 * family of columns; it is an ordinary envelope data key in {@code data_keys}, wrapped by the key provider's KEK, so
 * rotation re-wraps it and destroying it erases every value at once. Encryption and MAC keys are derived from it apart (HKDF-SHA256).
 *
 * <p>Values are sealed with AES-256-GCM, the row's identity as associated data, so a ciphertext copied onto another
 * row does not open. The cipher works in memory only: safe on an event loop; {@link #load} is not (it unwraps).
 */
public final class ColumnCipher {
    /** The data key for contact details: patients' (share-link recipients) and clinicians' (account e-mail addresses). */
    public static final BlobId CONTACTS = new BlobId(UUID.nameUUIDFromBytes(
            "wardline:column-key:contacts".getBytes(StandardCharsets.US_ASCII)));

    private static final byte[] ENC_INFO = "wardline-column-enc-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAC_INFO = "wardline-column-mac-v1".getBytes(StandardCharsets.US_ASCII);

    private final AesGcmJce aead;
    private final SecretKeySpec macKey;

    private ColumnCipher(byte[] dataKey) throws GeneralSecurityException {
        this.aead = new AesGcmJce(Hkdf.computeHkdf("HMACSHA256", dataKey, new byte[0], ENC_INFO, 32));
        this.macKey = new SecretKeySpec(Hkdf.computeHkdf("HMACSHA256", dataKey, new byte[0], MAC_INFO, 32), "HmacSHA256");
    }

    /**
     * Loads the column family's data key, creating it on first use (once, whichever node starts first). Blocking:
     * call it at start-up, off any event loop.
     */
    public static ColumnCipher load(Pool pool, KeyProvider keys, BlobId family) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        WrappedDataKey wrapped = keys.wrap(fresh, AssociatedData.forDataKey(family));
        await(pool.preparedQuery("INSERT INTO data_keys (object_id, wrapped_key, kek_id) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (object_id) DO NOTHING")
                .execute(Tuple.of(family.value(), Buffer.buffer(wrapped.ciphertext()), wrapped.kek().value())));
        Arrays.fill(fresh, (byte) 0);
        WrappedDataKey stored = await(new DataKeyStore(pool).find(family));
        byte[] dataKey = keys.unwrap(stored, AssociatedData.forDataKey(family));
        try {
            return of(dataKey);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** The cipher of an unwrapped data key (the caller clears its copy); {@link #load} is how a server gets one. */
    public static ColumnCipher of(byte[] dataKey) {
        try {
            return new ColumnCipher(dataKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the column keys", e);
        }
    }

    /** Encrypts {@code value} bound to {@code rowId} (for example {@code "share_links.recipient:" + linkId}). */
    public byte[] seal(String value, String rowId) {
        try {
            return aead.encrypt(value.getBytes(StandardCharsets.UTF_8), ad(rowId));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("column encryption failed", e);
        }
    }

    /** Decrypts what {@link #seal} gave for the same row; fails when it was altered or moved. */
    public String open(byte[] sealed, String rowId) {
        try {
            return new String(aead.decrypt(sealed, ad(rowId)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new KeyUnwrapException("a sealed column value does not authenticate", e);
        }
    }

    /** The keyed hash looked up instead of the value (the caller normalises it first). */
    public byte[] lookupHash(String normalised) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(macKey);
            return mac.doFinal(normalised.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    private static byte[] ad(String rowId) {
        return ("wardline-column-v1:" + rowId).getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading a column key", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot load a column key", e.getCause());
        }
    }

    @Override
    public String toString() {
        return "ColumnCipher[keys hidden]";
    }
}
