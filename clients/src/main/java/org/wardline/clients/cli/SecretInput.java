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
    private final boolean lenient;
    private BufferedReader lines;

    SecretInput(boolean stdin) {
        this(stdin, true);
    }

    /**
     * {@code lenient}: without a terminal, read the answers from standard input instead of refusing (the
     * interactive first-day commands, which a script drives by piping their answers in).
     */
    SecretInput(boolean stdin, boolean lenient) {
        this.stdin = stdin;
        this.lenient = lenient;
    }

    Secret<String> read(String prompt, String env) {
        if (stdin) {
            return Secret.of(line(prompt));
        }
        String value = env == null ? null : CliEnvironment.get(env);
        if (value != null && !value.isEmpty()) {
            return Secret.of(value);
        }
        Console console = System.console();
        if (console == null) {
            if (lenient) {
                return Secret.of(line(prompt));
            }
            throw new IllegalArgumentException("no " + prompt.toLowerCase(java.util.Locale.ROOT) + ": use --stdin or set " + env);
        }
        return Secret.of(new String(console.readPassword(prompt + ": ")));
    }

    /** A secret typed twice at a terminal (a new password); once when it comes from standard input. */
    Secret<String> readNew(String prompt) {
        Console console = stdin ? null : System.console();
        if (console == null) {
            return read(prompt, null);
        }
        char[] first = console.readPassword(prompt + ": ");
        char[] again = console.readPassword("Again: ");
        if (!java.util.Arrays.equals(first, again)) {
            throw new IllegalArgumentException("the two entries differ");
        }
        return Secret.of(new String(first));
    }

    /** Something that is not secret (a username): echoed at a terminal, else the next line of standard input. */
    String readVisible(String prompt) {
        Console console = stdin ? null : System.console();
        if (console == null) {
            return line(prompt);
        }
        String value = console.readLine(prompt + ": ");
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("no " + prompt.toLowerCase(java.util.Locale.ROOT) + " given");
        }
        return value.strip();
    }

    private String line(String prompt) {
        try {
            if (lines == null) {
                lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            }
            String line = lines.readLine();
            if (line == null || line.isBlank()) {
                throw new IllegalArgumentException("standard input ended before the " + prompt.toLowerCase(java.util.Locale.ROOT));
            }
            return line.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
