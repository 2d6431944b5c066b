package org.wardline.protocol.mls;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A device's identity, {@code urn:wardline:user:<uuid>:device:<uuid>}: the URI SAN of its client certificate and
 * the identity of its MLS basic credential (docs/adr/0002-mls-credentials.md).
 */
public record DeviceUri(UUID user, UUID device) {
    private static final Pattern FORM = Pattern.compile(
            "urn:wardline:user:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
                    + ":device:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

    public static DeviceUri of(UUID user, UUID device) {
        return new DeviceUri(user, device);
    }

    /** Parses the canonical lower-case form; anything else is empty. */
    public static Optional<DeviceUri> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new DeviceUri(UUID.fromString(m.group(1)), UUID.fromString(m.group(2))));
    }

    /** The user's URI, {@code urn:wardline:user:<uuid>}. */
    public String userUri() {
        return "urn:wardline:user:" + user;
    }

    @Override
    public String toString() {
        return userUri() + ":device:" + device;
    }
}
