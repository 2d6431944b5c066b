package org.wardline.clients.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.wardline.clients.sdk.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code wardline admin devices list | wipe | revoke}. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "Devices: list them, wipe a lost one (its local data destroyed when it next connects), revoke one.",
        subcommands = {AdminDevicesCommand.ListDevices.class, AdminDevicesCommand.Wipe.class, AdminDevicesCommand.Revoke.class})
final class AdminDevicesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String state(JsonNode d) {
        if (!d.path("wipe").isNull() && !d.path("wipe").isMissingNode()) {
            return "confirmed".equals(d.path("wipe").asText()) ? "WIPED (confirmed " + d.path("wipeConfirmedAt").asText() + ")"
                    : "WIPE PENDING (until it next connects)";
        }
        if (!d.path("revokedAt").isNull()) {
            return "revoked (" + d.path("revocationReason").asText() + ")";
        }
        return "active until " + d.path("notAfter").asText();
    }

    /** The messages the device acknowledged without being able to read them (kept undecrypted on it), when any. */
    static String unread(JsonNode d) {
        long n = d.path("unreadDeliveries").asLong(0);
        return n == 0 ? "" : "  " + n + (n == 1 ? " message" : " messages") + " it could not read";
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every enrolled device, or one user's.")
    static final class ListDevices implements Callable<Integer> {
        @Option(names = "--user", paramLabel = "USER", description = "Only this user's devices (username or ID).")
        String user;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            Admin admin = session.admin();
            UUID only = user == null ? null : AdminUsersCommand.resolve(admin, user);
            output.print(admin.devices(only), a -> a.path("devices").forEach(d -> out.println(d.path("id").asText() + "  "
                    + d.path("username").asText() + "  \"" + d.path("name").asText() + "\" (" + d.path("platform").asText()
                    + ")  " + state(d) + "  last seen " + d.path("lastSeenAt").asText("never") + unread(d))));
            return 0;
        }
    }

    @Command(name = "wipe", mixinStandardHelpOptions = true,
            description = {"Mark a device lost: revoked at once, its sessions and connections end, it leaves its conversations;",
                    "when it next connects it destroys its local data and confirms. --wait waits for that confirmation."})
    static final class Wipe implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DEVICE_ID")
        UUID device;
        @Option(names = "--wait", paramLabel = "DURATION", description = "Wait up to this long for the confirmation (e.g. 60s, 5m).")
        String wait;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() throws InterruptedException {
            Admin admin = session.admin();
            JsonNode answer = admin.wipeDevice(device);
            if (wait != null) {
                Instant until = Instant.now().plus(Duration.parse("PT" + wait.toUpperCase(java.util.Locale.ROOT)));
                while (!"confirmed".equals(answer.path("status").asText()) && Instant.now().isBefore(until)) {
                    Thread.sleep(1000);
                    answer = admin.wipeStatus(device);
                }
            }
            JsonNode last = answer;
            output.print(last, r -> output.out().println("wipe of device " + device + ": " + r.path("status").asText()
                    + ("confirmed".equals(r.path("status").asText()) ? " (the device destroyed its data)" : " (until it next connects)")));
            return wait != null && !"confirmed".equals(last.path("status").asText()) ? WardlineCli.EXIT_FAILED : 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a device (closes its connections at once).")
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DEVICE_ID")
        UUID device;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            output.print(session.admin().revokeDevice(device), r -> out.println("revoked device " + device));
            return 0;
        }
    }
}
