package org.wardline.clients.cli;

import org.wardline.clients.sdk.Admin;
import org.wardline.clients.sdk.DeviceIdentity;
import picocli.CommandLine.Mixin;

/**
 * The admin commands' connection: this device's identity and its signed-in session (`wardline login`), whose
 * device-bound access token goes with every call and is renewed when it expires.
 */
final class AdminSession {
    @Mixin
    IdentityOptions identity;

    Admin admin() {
        DeviceIdentity device = DeviceIdentity.load(identity.identity(), identity.passphrase(false));
        return new Admin(device);
    }
}
