package org.wardline.protocol;

import java.util.Objects;
import java.util.function.Function;

/**
 * A value that must never reach a log, a metric or an exception message: a password, a key, a link secret,
 * a one-time code or any PHI-bearing value. {@link #toString()} prints {@code [REDACTED]}; the value is only
 * reachable through {@link #reveal()}, which makes every use visible in review.
 */
public final class Secret<T> {
    private static final String REDACTED = "[REDACTED]";

    private final T value;

    private Secret(T value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static <T> Secret<T> of(T value) {
        return new Secret<>(value);
    }

    public T reveal() {
        return value;
    }

    public <R> Secret<R> map(Function<? super T, ? extends R> f) {
        return new Secret<>(f.apply(value));
    }

    @Override
    public String toString() {
        return REDACTED;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret<?> other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
