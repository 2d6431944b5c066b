package org.wardline.storage;

import java.util.Objects;

/**
 * A value that must never reach a log line, an exception message or a configuration dump: passwords, access
 * keys, passphrases. {@link #toString()} prints {@code [REDACTED]}; only {@link #reveal()} gives the value.
 *
 * @param <T> the secret's type
 */
public final class Secret<T> {
    private final T value;

    private Secret(T value) {
        this.value = Objects.requireNonNull(value, "secret value");
    }

    /** Wraps a value. */
    public static <T> Secret<T> of(T value) {
        return new Secret<>(value);
    }

    /** The wrapped value; call it only where the value is used, never to print it. */
    public T reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "[REDACTED]";
    }
}
