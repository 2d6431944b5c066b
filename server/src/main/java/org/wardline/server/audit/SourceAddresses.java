package org.wardline.server.audit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** A request's source address for the audit trail: IP literals only, so no name lookup ever runs. */
public final class SourceAddresses {
    private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.%]*:[0-9A-Fa-f:.%]*");

    private SourceAddresses() {
    }

    public static Optional<InetAddress> parse(String address) {
        if (address == null || !LITERAL.matcher(address).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(address));
        } catch (UnknownHostException malformed) {
            return Optional.empty();
        }
    }
}
