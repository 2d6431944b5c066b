package org.wardline.protocol.mls;

/**
 * The one lock around bcmls 1.84 calls. Its cipher suites are shared singletons holding stateful primitives
 * (one GCM cipher, one signer per suite), so two threads using any groups of the same suite at once corrupt
 * each other ("mac check in GCM failed" while sealing). One device is one thread in practice; the lock matters
 * where several devices share a JVM (tests, load generators) and on the server (key package checks).
 */
final class Bcmls {
    static final Object LOCK = new Object();

    private Bcmls() {
    }
}
