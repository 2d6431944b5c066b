package org.wardline.server.wipe;

import java.util.Locale;

/** A wipe waits for the device ({@code PENDING}) until the device reports its local state destroyed. */
public enum WipeStatus {
    PENDING, CONFIRMED;

    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static WipeStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
