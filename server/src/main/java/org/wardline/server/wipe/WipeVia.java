package org.wardline.server.wipe;

import java.util.Locale;

/** Who marked the device lost: an administrator, or its owner from another of their devices. */
public enum WipeVia {
    ADMIN, OWNER;

    String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static WipeVia fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
