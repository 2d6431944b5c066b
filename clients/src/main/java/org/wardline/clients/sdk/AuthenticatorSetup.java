package org.wardline.clients.sdk;

import org.wardline.protocol.Secret;

import java.util.List;

/**
 * What the user does while an authenticator (TOTP) is set up for their account: look at the secret (as a QR code or
 * the otpauth URI), type the first code the app shows, and keep the recovery codes, which are shown only once.
 */
public interface AuthenticatorSetup {
    /** The new secret: {@code otpauthUri} for a QR code, {@code secret} (Base32) to type in. Returns the app's code. */
    Secret<String> confirm(Secret<String> otpauthUri, Secret<String> secret);

    /** The one-time recovery codes, after the code was accepted. */
    void recoveryCodes(List<Secret<String>> codes);
}
