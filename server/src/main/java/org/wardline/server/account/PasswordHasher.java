package org.wardline.server.account;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.wardline.protocol.Secret;
import org.wardline.server.config.WardlineConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Argon2id password hashes (BouncyCastle) in the PHC string format
 * {@code $argon2id$v=19$m=47104,t=1,p=1$salt$hash}. Hashing costs about 100 ms and a few tens of MiB, so it
 * always runs on a worker thread, never on an event loop. Unknown accounts are checked against a dummy hash
 * with the same cost, so the answer's timing does not tell whether an account exists.
 */
public final class PasswordHasher {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Vertx vertx;
    private final WardlineConfig.Argon2 cost;
    private final String dummy;

    public PasswordHasher(Vertx vertx, WardlineConfig.Argon2 cost) {
        this.vertx = vertx;
        this.cost = cost;
        this.dummy = encode(cost, new byte[SALT_BYTES], new byte[HASH_BYTES]);
    }

    public Future<String> hash(Secret<String> password) {
        return vertx.executeBlocking(() -> hashNow(password), false);
    }

    /** True when {@code password} matches {@code phc}; a {@code null} hash is checked against the dummy and is false. */
    public Future<Boolean> verify(Secret<String> password, String phc) {
        return vertx.executeBlocking(() -> {
            boolean ok = verifyNow(password, phc == null ? dummy : phc);
            return ok && phc != null;
        }, false);
    }

    /** True when a stored hash uses other parameters than the configured ones, so it should be re-hashed on sign-in. */
    public boolean needsRehash(String phc) {
        return phc == null || !phc.startsWith(prefix(cost));
    }

    String hashNow(Secret<String> password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return encode(cost, salt, derive(password, salt, cost.memoryKiB(), cost.iterations(), cost.parallelism(), HASH_BYTES));
    }

    static boolean verifyNow(Secret<String> password, String phc) {
        String[] parts = phc.split("\\$");
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return false;
        }
        int m = 0;
        int t = 0;
        int p = 0;
        for (String kv : parts[3].split(",")) {
            String[] pair = kv.split("=", 2);
            int v = Integer.parseInt(pair[1]);
            switch (pair[0]) {
                case "m" -> m = v;
                case "t" -> t = v;
                case "p" -> p = v;
                default -> {
                    return false;
                }
            }
        }
        byte[] salt = B64D.decode(parts[4]);
        byte[] expected = B64D.decode(parts[5]);
        return MessageDigest.isEqual(derive(password, salt, m, t, p, expected.length), expected);
    }

    private static byte[] derive(Secret<String> password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB).withIterations(iterations).withParallelism(parallelism)
                .withSalt(salt).build());
        byte[] out = new byte[length];
        generator.generateBytes(password.reveal().getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    private static String prefix(WardlineConfig.Argon2 c) {
        return "$argon2id$v=19$m=" + c.memoryKiB() + ",t=" + c.iterations() + ",p=" + c.parallelism() + "$";
    }

    private static String encode(WardlineConfig.Argon2 c, byte[] salt, byte[] hash) {
        return prefix(c) + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }
}
