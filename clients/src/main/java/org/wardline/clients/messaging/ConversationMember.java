package org.wardline.clients.messaging;

import org.wardline.protocol.mls.DeviceUri;

import java.util.Optional;

/**
 * A member device of a conversation as a UI shows it: its device URI (from its MLS credential, which the server
 * checked against the device's certificate), whether it is this device, and the legal-hold label when the server
 * designates it a records-custodian device ("legal hold (records custodian)").
 */
public record ConversationMember(DeviceUri device, boolean thisDevice, Optional<String> legalHold) {
    public boolean isLegalHold() {
        return legalHold.isPresent();
    }

    @Override
    public String toString() {
        return device + (thisDevice ? "  (this device)" : "") + legalHold.map(l -> "  [" + l + "]").orElse("");
    }
}
