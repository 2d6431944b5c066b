package org.wardline.clients.cli;

import java.nio.file.Path;

/**
 * Where the command line's own log lines go: warnings and errors to a file ({@code client.log} in the identity
 * folder), through logback with {@code wardline-cli-logback.xml}, so neither SLF4J's "no providers" notice nor a
 * client warning ever breaks into what the user reads (a chat, a command's output). Set before the first logger is
 * made; a configuration the user chose ({@code -Dlogback.configurationFile}, {@code -Dwardline.cli.log}) is kept.
 */
final class CliLogging {
    static final String CONFIGURATION = "wardline-cli-logback.xml";

    private CliLogging() {
    }

    static void toFile(Path logFile) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", CONFIGURATION);
        }
        if (System.getProperty("wardline.cli.log") == null) {
            System.setProperty("wardline.cli.log", logFile.toAbsolutePath().toString());
        }
    }
}
