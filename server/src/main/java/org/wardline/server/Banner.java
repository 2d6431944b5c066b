package org.wardline.server;

import org.wardline.server.bootstrap.BootstrapCodes;
import org.wardline.server.dev.DevEnvironment;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/** What an operator sees once the server is up: each listener's URL, the CA fingerprint, the bootstrap code. */
final class Banner {
    private Banner() {
    }

    static void print(PrintStream out, WardlineServer server, DevEnvironment dev) {
        out.println();
        out.println("Wardline is running" + (dev != null ? " in DEV mode (embedded services, loopback only)" : ""));
        out.println("  public  https://" + hostOf(server.config().publicListener().host()) + ":" + server.publicPort());
        out.println("  device  https://" + hostOf(server.config().deviceListener().host()) + ":" + server.devicePort()
                + "   (mutual TLS: enrolled devices only)");
        out.println("  ops     http://" + hostOf(server.config().opsListener().host()) + ":" + server.opsPort()
                + "/metrics");
        out.println("  CA fingerprint (SHA-256) " + server.certificateAuthority().rootFingerprint());
        out.println("  CA certificate           " + server.config().pki().directory().resolve("root-ca.crt"));
        if (dev != null) {
            out.println("  data directory           " + server.config().dataDir());
            if (dev.clamd().isEmpty()) {
                out.println("  WARNING: clamd is not installed; uploads are refused (apt-get install clamav-daemon)");
            }
            out.println("  WARNING: mail is printed to this console (dev mode), not sent");
        }
        try {
            var code = new BootstrapCodes(server.database().pool()).issueIfUnclaimed()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            code.ifPresent(c -> out.println("  first-admin bootstrap code (one-time, valid "
                    + BootstrapCodes.LIFETIME.toHours() + " h): " + c.reveal()));
        } catch (Exception e) {
            out.println("  (no bootstrap code: " + e.getClass().getSimpleName() + ")");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private static String hostOf(String bind) {
        return "0.0.0.0".equals(bind) || "::".equals(bind) ? "<this-host>" : bind.contains(":") ? "[" + bind + "]" : bind;
    }
}
