package org.wardline.storage.audit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A small map of non-PHI facts attached to an audit entry: counts, sizes, booleans, enum constants,
 * UUIDs and short codes. There is deliberately no way to put free text in: a string value must be a
 * short code ({@code [A-Za-z0-9][A-Za-z0-9._:/-]*}, at most 64 characters), so a sentence, a name with
 * a space or a file name with a space is refused with an {@link IllegalArgumentException} that names
 * the key, not the value.
 *
 * <p>The stored form is canonical JSON: keys sorted by code point, no whitespace, integers and
 * decimals in plain notation (no exponent, no trailing zeros), enum constants and UUIDs as strings.
 * Because every string matches the short-code pattern, no JSON escaping is ever needed. A set of codes
 * (the roles a user held before and after a change) is a JSON array of its codes in sorted order.
 */
public final class AuditDetails {
    /** The most entries a details map may hold. */
    public static final int MAX_ENTRIES = 16;

    private static final AuditDetails EMPTY = new AuditDetails(new TreeMap<>());

    private final SortedMap<String, Object> values;

    private AuditDetails(SortedMap<String, Object> values) {
        this.values = Collections.unmodifiableSortedMap(values);
    }

    /** No details. */
    public static AuditDetails empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The values, sorted by key: {@link Long}, {@link BigDecimal}, {@link Boolean}, {@link String} or a sorted
     * {@link List} of short-code strings.
     */
    public Map<String, Object> asMap() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The canonical JSON text that is stored and hashed. */
    public String toCanonicalJson() {
        StringBuilder json = new StringBuilder("{");
        values.forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(key).append("\":");
            if (value instanceof String s) {
                json.append('"').append(s).append('"');
            } else if (value instanceof List<?> codes) {
                json.append('[');
                for (int i = 0; i < codes.size(); i++) {
                    json.append(i == 0 ? "" : ",").append('"').append(codes.get(i)).append('"');
                }
                json.append(']');
            } else if (value instanceof BigDecimal d) {
                json.append(d.toPlainString());
            } else {
                json.append(value);
            }
        });
        return json.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditDetails other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return toCanonicalJson();
    }

    /** Collects typed values; each {@code put} validates its key and value at once. */
    public static final class Builder {
        private final TreeMap<String, Object> values = new TreeMap<>();

        private Builder() {
        }

        public Builder put(String key, long value) {
            return add(key, value);
        }

        public Builder put(String key, boolean value) {
            return add(key, value);
        }

        /** A decimal; stored without exponent and trailing zeros. */
        public Builder put(String key, BigDecimal value) {
            Objects.requireNonNull(value, "value");
            BigDecimal normal = value.stripTrailingZeros();
            if (normal.scale() < 0) {
                normal = normal.setScale(0);
            }
            if (normal.precision() > 38) {
                throw new IllegalArgumentException("audit detail '" + key + "' has more than 38 digits");
            }
            if (normal.scale() == 0 && normal.unscaledValue().bitLength() < 64) {
                return add(key, normal.longValueExact());
            }
            return add(key, normal);
        }

        /** A finite floating-point number, stored as its shortest decimal representation. */
        public Builder put(String key, double value) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("audit detail '" + key + "' must be a finite number");
            }
            return put(key, new BigDecimal(Double.toString(value)));
        }

        public Builder put(String key, BigInteger value) {
            return put(key, new BigDecimal(value));
        }

        public Builder put(String key, Enum<?> value) {
            Objects.requireNonNull(value, "value");
            return putCode(key, value.name());
        }

        public Builder put(String key, UUID value) {
            Objects.requireNonNull(value, "value");
            return add(key, value.toString());
        }

        /**
         * A short code such as {@code mfa.totp}, {@code application/pdf} or {@code E1234}.
         *
         * @throws IllegalArgumentException naming the key if the value is not a short code (free text)
         */
        public Builder putCode(String key, String code) {
            if (code == null || code.length() > AuditCodes.MAX_CODE_LENGTH || !AuditCodes.SHORT_CODE.matcher(code).matches()) {
                throw new IllegalArgumentException("audit detail '" + key + "' must be a short code matching "
                        + AuditCodes.SHORT_CODE.pattern() + " of at most " + AuditCodes.MAX_CODE_LENGTH
                        + " characters; free text is not allowed in the audit trail");
            }
            return add(key, code);
        }

        /**
         * A set of short codes, such as the roles a user holds, stored sorted and without duplicates; empty is
         * allowed (no roles).
         *
         * @throws IllegalArgumentException naming the key if any member is not a short code or there are more
         *                                  than {@value #MAX_ENTRIES}
         */
        public Builder putCodes(String key, Collection<String> codes) {
            Objects.requireNonNull(codes, "codes");
            java.util.TreeSet<String> sorted = new java.util.TreeSet<>();
            for (String code : codes) {
                if (code == null || code.length() > AuditCodes.MAX_CODE_LENGTH || !AuditCodes.SHORT_CODE.matcher(code).matches()) {
                    throw new IllegalArgumentException("audit detail '" + key + "' must hold short codes matching "
                            + AuditCodes.SHORT_CODE.pattern() + "; free text is not allowed in the audit trail");
                }
                sorted.add(code);
            }
            if (sorted.size() > MAX_ENTRIES) {
                throw new IllegalArgumentException("audit detail '" + key + "' holds at most " + MAX_ENTRIES + " codes");
            }
            return add(key, List.copyOf(sorted));
        }

        /**
         * Adds a value of any permitted type: integral numbers, {@link BigDecimal}, finite doubles and
         * floats, booleans, enum constants, UUIDs and short-code strings.
         *
         * @throws IllegalArgumentException naming the key for any other type or for free text
         */
        public Builder putValue(String key, Object value) {
            return switch (value) {
                case Long l -> put(key, l.longValue());
                case Integer i -> put(key, i.longValue());
                case Short s -> put(key, s.longValue());
                case Byte b -> put(key, b.longValue());
                case BigInteger bi -> put(key, bi);
                case BigDecimal bd -> put(key, bd);
                case Double d -> put(key, d.doubleValue());
                case Float f -> put(key, f.doubleValue());
                case Boolean b -> put(key, b.booleanValue());
                case Enum<?> e -> put(key, e);
                case UUID u -> put(key, u);
                case String s -> putCode(key, s);
                case null -> throw new IllegalArgumentException("audit detail '" + key + "' is null");
                default -> throw new IllegalArgumentException("audit detail '" + key + "' has type "
                        + value.getClass().getSimpleName()
                        + "; allowed are numbers, booleans, enum constants, UUIDs and short codes");
            };
        }

        public AuditDetails build() {
            return values.isEmpty() ? EMPTY : new AuditDetails(new TreeMap<>(values));
        }

        private Builder add(String key, Object value) {
            if (key == null || !AuditCodes.DETAIL_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("audit detail key must match " + AuditCodes.DETAIL_KEY.pattern());
            }
            if (values.containsKey(key)) {
                throw new IllegalArgumentException("audit detail '" + key + "' is set twice");
            }
            if (values.size() >= MAX_ENTRIES) {
                throw new IllegalArgumentException("audit details hold at most " + MAX_ENTRIES + " entries");
            }
            values.put(key, value);
            return this;
        }
    }
}
