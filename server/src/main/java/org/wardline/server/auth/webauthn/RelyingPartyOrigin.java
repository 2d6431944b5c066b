package org.wardline.server.auth.webauthn;

import java.net.URI;
import java.util.Locale;

/**
 * The WebAuthn relying party, taken from the configured public URL: its host is the RP ID and its
 * scheme://host[:port] the only origin accepted. A host that is an IP address cannot be an RP ID (browsers
 * refuse it), so passkeys are then unavailable and say so.
 */
public record RelyingPartyOrigin(String rpId, String origin, boolean available) {

    public static RelyingPartyOrigin of(URI publicUrl) {
        String host = publicUrl.getHost().toLowerCase(Locale.ROOT);
        int port = publicUrl.getPort();
        boolean defaultPort = port == -1 || ("https".equals(publicUrl.getScheme()) && port == 443)
                || ("http".equals(publicUrl.getScheme()) && port == 80);
        String origin = publicUrl.getScheme() + "://" + host + (defaultPort ? "" : ":" + port);
        boolean ipLiteral = host.startsWith("[") || host.contains(":") || host.matches("[0-9.]+");
        return new RelyingPartyOrigin(host, origin, !ipLiteral);
    }
}
