package org.wardline.server.sharelink;

import org.wardline.protocol.Secret;

/**
 * The recipient as the sender's link list shows it: enough to tell links apart, not the whole address
 * ({@code p***@example.org}, {@code ***0137}), so a list left on a screen does not spell out a patient's contact.
 */
final class RecipientMask {
    private RecipientMask() {
    }

    static String mask(RecipientKind kind, Secret<String> recipient) {
        String address = recipient.reveal().strip();
        if (kind == RecipientKind.EMAIL) {
            int at = address.lastIndexOf('@');
            if (at < 1) {
                return "***";
            }
            return address.charAt(0) + "***" + address.substring(at);
        }
        String digits = address.replaceAll("[^0-9]", "");
        return digits.length() < 6 ? "***" : "***" + digits.substring(digits.length() - 4);
    }
}
