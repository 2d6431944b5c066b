package org.wardline.server.account;

/** Whether an account may sign in. Disabling an account revokes all its sessions. */
public enum UserStatus {
    ACTIVE, DISABLED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
