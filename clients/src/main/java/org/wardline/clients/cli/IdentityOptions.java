package org.wardline.clients.cli;

import org.wardline.protocol.Secret;
import picocli.CommandLine.Option;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the device identity lives and how its passphrase is obtained (never from the command line). The identity
 * folder is, in this order: {@code --identity DIR} (or the keystore file itself, {@code --identity FILE.p12}),
 * {@code $WARDLINE_HOME}, {@code $HOME/.wardline}, the JVM's {@code user.home}/.wardline. It holds
 * {@code device.p12}, the session beside it and the chat state ({@code chat/}).
 */
public final class IdentityOptions {
    static final String PASSPHRASE_ENV = "WARDLINE_DEVICE_PASSPHRASE";
    static final String HOME_ENV = "WARDLINE_HOME";
    static final String KEYSTORE = "device.p12";
    /** The sentence every client command's --help shows. */
    static final String WHERE = "This device's identity folder: --identity DIR, else $" + HOME_ENV + ", else $HOME/.wardline.";

    @Option(names = "--identity", paramLabel = "DIR", description = "This device's identity folder (holds " + KEYSTORE
            + "; a path ending in .p12 names the keystore itself). Default: $" + HOME_ENV + ", else $HOME/.wardline.")
    Path identityOption;

    @Option(names = "--passphrase-file", description = "File whose first line is the keystore passphrase "
            + "(otherwise $" + PASSPHRASE_ENV + ", otherwise a prompt).")
    Path passphraseFile;

    /** The device keystore's path. */
    public Path identity() {
        if (identityOption != null) {
            return identityOption.getFileName() != null && identityOption.getFileName().toString().endsWith(".p12")
                    ? identityOption : identityOption.resolve(KEYSTORE);
        }
        return home().resolve(KEYSTORE);
    }

    /** The identity folder: the keystore's folder. */
    public Path home() {
        if (identityOption != null) {
            Path keystore = identity();
            return keystore.toAbsolutePath().getParent();
        }
        return defaultHome();
    }

    /** The identity folder when no {@code --identity} is given: $WARDLINE_HOME, else ~/.wardline. */
    static Path defaultHome() {
        String wardlineHome = CliEnvironment.get(HOME_ENV);
        if (wardlineHome != null && !wardlineHome.isBlank()) {
            return Path.of(wardlineHome);
        }
        String home = CliEnvironment.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".wardline");
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
        String env = CliEnvironment.get(PASSPHRASE_ENV);
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
