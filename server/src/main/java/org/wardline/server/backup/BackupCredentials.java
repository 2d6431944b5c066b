package org.wardline.server.backup;

import org.wardline.protocol.Secret;

/** What seals a new backup (a passphrase or the recipient public key) and what opens one (the passphrase or the private key). */
final class BackupCredentials {
    private BackupCredentials() {
    }

    /** Seals a new backup. */
    sealed interface Seal {
    }

    /** Opens an existing backup. */
    sealed interface Open {
    }

    /** The backup passphrase, for either direction. */
    record Passphrase(Secret<String> passphrase) implements Seal, Open {
    }

    /** The recipient public keyset (Tink JSON) from the configuration: enough to write, never to read. */
    record Recipient(String publicKeyset) implements Seal {
    }

    /** The recipient private keyset (Tink JSON), kept offline and given to a restore. */
    record KeyFile(Secret<String> privateKeyset) implements Open {
    }
}
