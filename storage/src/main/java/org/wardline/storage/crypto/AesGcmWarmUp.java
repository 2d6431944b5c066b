package org.wardline.storage.crypto;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the JDK's AES-GCM onto its compiled, intrinsic path at start-up instead of after gigabytes of uploads.
 *
 * <p>Why: Tink's streaming AEAD makes one {@code Cipher.doFinal} per 1 MiB segment, so the JDK method that
 * carries the AES-GCM intrinsic ({@code GaloisCounterMode.implGCMCrypt}) is called once per MiB; the JIT
 * compiles it fully only after thousands of calls, and until then GHASH runs as plain Java. Measured with JFR
 * on the upload benchmark ({@code wardline bench upload}): 55% of the server's samples in
 * {@code GHASH.processBlocks}/{@code CounterMode.implCrypt}; in a fresh JVM Tink encrypted 8–18 MB/s for the
 * first hundreds of MiB, 80–100 MB/s right after this warm-up (BENCHMARKS.md, "Upload and handshake profile").
 *
 * <p>It encrypts throw-away data under a random throw-away key on one low-priority daemon thread, once per JVM.
 */
public final class AesGcmWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(AesGcmWarmUp.class);
    /** Enough calls for the JIT's top tier (its invocation threshold is 5,000 at default settings). */
    static final int CALLS = 20_000;
    private static final int BYTES = 512;
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final CountDownLatch DONE = new CountDownLatch(1);

    private AesGcmWarmUp() {
    }

    /** Starts the warm-up in the background, the first time only; returns at once. */
    public static void startOnce() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = Thread.ofPlatform().daemon().name("aes-gcm-warm-up").unstarted(AesGcmWarmUp::run);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** Waits for a started warm-up to end; true when it has. */
    static boolean awaitDone(long timeout, TimeUnit unit) throws InterruptedException {
        return DONE.await(timeout, unit);
    }

    private static void run() {
        try {
            byte[] key = new byte[32];
            byte[] nonce = new byte[12];
            SecureRandom random = new SecureRandom();
            random.nextBytes(key);
            random.nextBytes(nonce);
            SecretKeySpec spec = new SecretKeySpec(key, "AES");
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] plaintext = new byte[BYTES];
            byte[] ciphertext = new byte[BYTES + 16];
            for (int i = 0; i < CALLS; i++) {
                // GCM refuses a repeated key and nonce pair; the counter makes each one new.
                nonce[0] = (byte) i;
                nonce[1] = (byte) (i >>> 8);
                nonce[2] = (byte) (i >>> 16);
                cipher.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(128, nonce));
                cipher.doFinal(plaintext, 0, BYTES, ciphertext, 0);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // Only speed is lost.
            LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName()).log("AES-GCM warm-up failed");
        } finally {
            DONE.countDown();
        }
    }
}
