package org.wardline.clients.cli;

import org.wardline.protocol.Secret;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads secrets the user types (password, second-factor code): from standard input, one per line, when asked
 * to ({@code --stdin}, for scripts), else from an environment variable, else from a prompt that does not echo.
 * Never from the command line, where other users and shell history could see them.
 */
final class SecretInput {
    private final boolean stdin;
    private BufferedReader lines;

    SecretInput(boolean stdin) {
        this.stdin = stdin;
    }

    Secret<String> read(String prompt, String env) {
        if (stdin) {
            try {
                if (lines == null) {
                    lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                }
                String line = lines.readLine();
                if (line == null || line.isBlank()) {
                    throw new IllegalArgumentException("standard input ended before the " + prompt.toLowerCase(java.util.Locale.ROOT));
                }
                return Secret.of(line.strip());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String value = System.getenv(env);
        if (value != null && !value.isEmpty()) {
            return Secret.of(value);
        }
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("no " + prompt.toLowerCase(java.util.Locale.ROOT) + ": use --stdin or set " + env);
        }
        return Secret.of(new String(console.readPassword(prompt + ": ")));
    }
}
