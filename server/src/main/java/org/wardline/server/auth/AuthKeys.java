package org.wardline.server.auth;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.PasswordBasedDecrypter;
import com.nimbusds.jose.crypto.PasswordBasedEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import org.wardline.protocol.Secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.crypto.SecretKey;

/**
 * The server's sign-in keys: ES256 (P-256) token-signing keys, each with a {@code kid}, and an AES-256 key that
 * encrypts TOTP secrets at rest. They live in one file under the data directory, encrypted as a JWE with
 * PBES2-HS512+A256KW / A256GCM under the configured key passphrase. {@link #rotate()} adds a new signing key;
 * older ones keep verifying tokens until they are dropped.
 */
public final class AuthKeys {
    private static final int PBES2_ITERATIONS = 310_000;
    private static final String WRAP_KID = "totp-secrets";

    private final Path file;
    private final Secret<String> passphrase;
    private final List<ECKey> signing;
    private final OctetSequenceKey wrap;

    private AuthKeys(Path file, Secret<String> passphrase, List<ECKey> signing, OctetSequenceKey wrap) {
        this.file = file;
        this.passphrase = passphrase;
        this.signing = signing;
        this.wrap = wrap;
    }

    /** Loads the key file, or creates it with fresh keys. Blocking (file I/O, PBKDF2): call at start-up, off the event loop. */
    public static AuthKeys loadOrCreate(Path file, Secret<String> passphrase) {
        try {
            if (Files.exists(file)) {
                JWEObject jwe = JWEObject.parse(Files.readString(file));
                jwe.decrypt(new PasswordBasedDecrypter(passphrase.reveal()));
                JWKSet set = JWKSet.parse(jwe.getPayload().toString());
                List<ECKey> signing = new ArrayList<>();
                OctetSequenceKey wrap = null;
                for (JWK k : set.getKeys()) {
                    if (k instanceof ECKey ec) {
                        signing.add(ec);
                    } else if (k instanceof OctetSequenceKey oct && WRAP_KID.equals(oct.getKeyID())) {
                        wrap = oct;
                    }
                }
                if (signing.isEmpty() || wrap == null) {
                    throw new IllegalStateException("auth key file " + file + " lacks a signing or wrapping key");
                }
                return new AuthKeys(file, passphrase, signing, wrap);
            }
            AuthKeys keys = new AuthKeys(file, passphrase, new ArrayList<>(List.of(newSigningKey())),
                    new OctetSequenceKeyGenerator(256).keyID(WRAP_KID).generate());
            keys.save();
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the auth key file " + file, e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot open the auth key file " + file + " (wrong keys.passphrase?)", e);
        }
    }

    private static ECKey newSigningKey() throws JOSEException {
        return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE)
                .algorithm(com.nimbusds.jose.JWSAlgorithm.ES256).keyID(UUID.randomUUID().toString()).generate();
    }

    /** Adds a new signing key that signs from now on; earlier keys still verify until removed. Blocking. */
    public synchronized void rotate() {
        try {
            signing.add(0, newSigningKey());
            save();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void save() throws IOException, JOSEException {
        List<JWK> all = new ArrayList<>(signing);
        all.add(wrap);
        JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.PBES2_HS512_A256KW, EncryptionMethod.A256GCM),
                new Payload(new JWKSet(all).toString(false)));
        jwe.encrypt(new PasswordBasedEncrypter(passphrase.reveal(), 16, PBES2_ITERATIONS));
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, jwe.serialize(), StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The key new tokens are signed with. */
    public synchronized ECKey currentSigningKey() {
        return signing.get(0);
    }

    /** Public halves of every signing key, for verification. */
    public synchronized JWKSet publicKeys() {
        return new JWKSet(signing.stream().map(k -> (JWK) k.toPublicJWK()).toList());
    }

    public SecretKey secretWrappingKey() {
        return wrap.toSecretKey("AES");
    }
}
