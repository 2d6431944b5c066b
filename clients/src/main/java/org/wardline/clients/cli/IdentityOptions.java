package org.wardline.clients.cli;

import org.wardline.protocol.Secret;
import picocli.CommandLine.Option;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the device identity lives and how its passphrase is obtained (never from the command line). */
public final class IdentityOptions {
    static final String PASSPHRASE_ENV = "WARDLINE_DEVICE_PASSPHRASE";

    @Option(names = "--identity", description = "Device keystore (PKCS#12; default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:user.home}/.wardline/device.p12")
    Path identity;

    @Option(names = "--passphrase-file", description = "File whose first line is the keystore passphrase "
            + "(otherwise $" + PASSPHRASE_ENV + ", otherwise a prompt).")
    Path passphraseFile;

    /** The device keystore's path. */
    public Path identity() {
        return identity;
    }

    /** The keystore passphrase: from the file, the environment, or a prompt (confirmed when {@code confirm}). */
    public Secret<String> passphrase(boolean confirm) {
        if (passphraseFile != null) {
            try {
                return Secret.of(Files.readAllLines(passphraseFile).get(0).strip());
            } catch (IOException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException("cannot read a passphrase from " + passphraseFile);
            }
        }
        String env = System.getenv(PASSPHRASE_ENV);
        if (env != null && !env.isEmpty()) {
            return Secret.of(env);
        }
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("no passphrase: use --passphrase-file or set " + PASSPHRASE_ENV);
        }
        char[] first = console.readPassword("Device keystore passphrase: ");
        if (confirm) {
            char[] again = console.readPassword("Again: ");
            if (!java.util.Arrays.equals(first, again)) {
                throw new IllegalArgumentException("the passphrases differ");
            }
        }
        return Secret.of(new String(first));
    }
}
