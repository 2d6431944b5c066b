package org.wardline.clients.messaging;

/**
 * Named points where a crash matters most, for the crash tests: when the system property
 * {@code wardline.test.crashAt} names a point, the process says so on standard output ({@code CRASHPOINT <name>})
 * when it gets there and waits there, for the test to kill it (SIGKILL). Unset (always, outside those tests), a
 * point costs one property read and does nothing.
 */
final class CrashPoints {
    /** A queued message is sealed (state and outbox durable), not sent yet. */
    static final String QUEUED_SEALED = "queued-sealed";
    /** The server has stored a queued message; the outbox entry is not removed yet. */
    static final String QUEUED_STORED = "queued-stored";
    /** Deliveries are processed, recorded and their state saved; the ACK has not left. */
    static final String BEFORE_ACK = "before-ack";

    private CrashPoints() {
    }

    static void reached(String point) {
        if (!point.equals(System.getProperty("wardline.test.crashAt"))) {
            return;
        }
        System.out.println("CRASHPOINT " + point);
        System.out.flush();
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // keep waiting: only the kill ends this process
            }
        }
    }
}
