package org.wardline.server.incident;

import java.util.Locale;
import java.util.Optional;

/** What a containment does, and the kind of object it acts on. */
public enum ContainmentAction {
    /** Disable the account; end every session; revoke every device (closing its connections); revoke every link it made. */
    SUSPEND_ACCOUNT("user"),
    /** Revoke one device: its certificates go on the CRL and its live connections close. */
    REVOKE_DEVICE("device"),
    /** Mark one device lost: wiped at its next contact, certificates revoked, sessions ended, removed from conversations. */
    WIPE_DEVICE("device"),
    /** Revoke one share link. */
    REVOKE_LINK("sharelink"),
    /** Revoke every live link to one file. */
    REVOKE_FILE_LINKS("file"),
    /** Revoke every live link a user made, leaving the account as it is. */
    REVOKE_USER_LINKS("user"),
    /** Place a legal hold (user, team or conversation), so retention deletes nothing the incident may need. */
    LEGAL_HOLD("legal_hold"),
    /** Freeze a conversation while the incident is not closed: nobody added, no file or link shared from it. */
    FREEZE_CONVERSATION("conversation");

    private final String objectType;

    ContainmentAction(String objectType) {
        this.objectType = objectType;
    }

    public String objectType() {
        return objectType;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ContainmentAction> parse(String s) {
        for (ContainmentAction v : values()) {
            if (v.wireName().equals(s)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
