package org.wardline.server.delivery;

import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.protocol.Secret;
import org.wardline.server.WardlineServer;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.EnrolledDevices;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.UUID;

/** Devices enrolled and signed in through the running server's real flows, as messaging credentials (with the session's bearer). */
final class TestDevices {
    private TestDevices() {
    }

    /** A device of a new clinician in the server's shared care team. */
    static DeviceCredentials teamMate(WardlineServer server) throws Exception {
        return device(server, CareTeams.teamMate(server));
    }

    static DeviceCredentials device(WardlineServer server, UUID user) throws Exception {
        return credentials(server, EnrolledDevices.enroll(server, user).identity());
    }

    /** Messaging credentials of an enrolled device, whose bearer is always its identity's current session. */
    static DeviceCredentials credentials(WardlineServer server, DeviceIdentity identity) throws Exception {
        Path dir = Files.createTempDirectory("wardline-device-");
        Path file = dir.resolve("device.p12");
        char[] pass = "device-pass".toCharArray();
        identity.save(file, Secret.of(new String(pass)));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, pass);
        } finally {
            // the identity's files (its key among them) are read now: the soak enrols thousands of devices
            try (java.util.stream.Stream<Path> saved = Files.list(dir)) {
                for (Path p : saved.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
        return DeviceCredentials.fromKeyStore(ks, pass, server.certificateAuthority().rootCertificate(),
                URI.create("https://127.0.0.1:" + server.devicePort())).withBearer(identity::accessToken);
    }
}
