package org.wardline.storage.audit.alert;

/** How urgently an alert needs a person. */
public enum AlertSeverity {
    /** Look at it today. */
    WARNING,
    /** Look at it now. */
    HIGH,
    /** Someone is using emergency powers or the system is under attack: act at once. */
    CRITICAL
}
