package org.wardline.storage.crypto;

import java.util.Objects;

/**
 * Names one version of a key-encryption key (KEK) inside a {@link KeyProvider}, e.g. {@code local:1749238177} or
 * {@code vault:wardline:7}. Stored next to each wrapped data key, so a data key can always be unwrapped under the
 * exact KEK version that wrapped it. Not secret.
 *
 * @param value printable ASCII, no spaces, 1–128 characters
 */
public record KekId(String value) {
    public KekId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > 128 || !value.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("a KEK id is 1-128 printable ASCII characters without spaces");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
