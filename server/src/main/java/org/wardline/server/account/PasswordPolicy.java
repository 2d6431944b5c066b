package org.wardline.server.account;

import org.wardline.protocol.Secret;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * NIST SP 800-63B memorised-secret rules: at least 12 characters, at most 128 (so pass-phrases fit), any
 * characters, no composition rules, and not on a list of commonly used or breached passwords (the 30,000
 * passwords zxcvbn 4.4.2 ships, MIT licence) nor built from the account's own name or the service's.
 * Length counts Unicode code points after NFKC normalisation, as 800-63B asks.
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;
    private static final String LIST = "breached-passwords.txt";

    private final Set<String> breached;

    private PasswordPolicy(Set<String> breached) {
        this.breached = breached;
    }

    public static PasswordPolicy load() {
        Set<String> words = new HashSet<>(40_000);
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException("breached-password list " + LIST + " is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    words.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PasswordPolicy(Set.copyOf(words));
    }

    /** Why {@code password} is refused, or empty when it is acceptable for {@code username}. */
    public Optional<String> refusal(Secret<String> password, String username) {
        String p = normalise(password.reveal());
        int length = p.codePointCount(0, p.length());
        if (length < MIN_LENGTH) {
            return Optional.of("shorter than " + MIN_LENGTH + " characters");
        }
        if (length > MAX_LENGTH) {
            return Optional.of("longer than " + MAX_LENGTH + " characters");
        }
        String lower = p.toLowerCase(Locale.ROOT);
        String unit = repeatedUnit(lower);
        if (breached.contains(lower) || (unit != null && breached.contains(unit))) {
            return Optional.of("on the list of commonly used or breached passwords");
        }
        if (p.codePoints().distinct().count() < 4 || (unit != null && unit.length() < 4)) {
            return Optional.of("repetitive");
        }
        String stripped = lower.replaceAll("[^\\p{L}\\p{N}]", "");
        if (username != null && !username.isBlank()
                && stripped.contains(username.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", ""))) {
            return Optional.of("contains the user name");
        }
        if (stripped.startsWith("wardline")) {
            return Optional.of("built from the service's name");
        }
        return Optional.empty();
    }

    /** The shortest unit {@code p} repeats ({@code password} for {@code passwordpassword}), or null. */
    private static String repeatedUnit(String p) {
        for (int unit = 1; unit <= p.length() / 2; unit++) {
            if (p.length() % unit == 0 && p.substring(0, unit).repeat(p.length() / unit).equals(p)) {
                return p.substring(0, unit);
            }
        }
        return null;
    }

    static String normalise(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC);
    }

    int size() {
        return breached.size();
    }
}
