package org.wardline.server.auth.dpop;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The {@code htu} a DPoP proof must name, compared after the normalisation of RFC 3986 §6.2.2-6.2.3 (RFC 9449 §4.3):
 * scheme and host in lower case, percent-encodings in upper case and unreserved ones decoded, dot segments removed,
 * the scheme's default port dropped, an empty path as {@code /}; query and fragment left out.
 */
final class HttpTargets {
    private final String base;

    /** {@code publicUrl}: the address browsers reach the public listener at; its path is a prefix of every target. */
    HttpTargets(URI publicUrl) {
        URI origin = normalised(publicUrl);
        String path = origin.getRawPath();
        this.base = origin.getScheme() + "://" + origin.getRawAuthority() + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }

    /** The normalised target of a request whose raw (still percent-encoded) path is {@code rawPath}. */
    String expected(String rawPath) {
        return expected(rawPath, false);
    }

    /** The same for a WebSocket upgrade when {@code webSocket}: its target's scheme is {@code wss} (or {@code ws}). */
    String expected(String rawPath, boolean webSocket) {
        if (rawPath == null || !rawPath.startsWith("/") || rawPath.startsWith("//")) {
            throw new IllegalArgumentException("not an absolute path");
        }
        try {
            String target = base + rawPath;
            if (webSocket) {
                target = target.startsWith("https:") ? "wss:" + target.substring(6) : "ws:" + target.substring(target.indexOf(':') + 1);
            }
            return normalised(new URI(target)).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid path", e);
        }
    }

    /** {@code htu} from a proof, normalised the same way (query and fragment dropped). */
    static URI normalised(URI u) {
        if (!u.isAbsolute() || u.isOpaque() || u.getHost() == null || u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("not an http(s) or ws(s) URL");
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort();
        boolean secure = "https".equals(scheme) || "wss".equals(scheme);
        if ((secure && port == 443) || (!secure && port == 80)) {
            port = -1;
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : percentNormalised(u.getRawPath());
        try {
            String host = u.getHost().toLowerCase(Locale.ROOT);
            return new URI(scheme + "://" + host + (port < 0 ? "" : ":" + port) + path).normalize();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL", e);
        }
    }

    private static String percentNormalised(String rawPath) {
        StringBuilder out = new StringBuilder(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 2 >= rawPath.length()) {
                throw new IllegalArgumentException("truncated percent-encoding");
            }
            int value = Integer.parseInt(rawPath.substring(i + 1, i + 3), 16);
            char decoded = (char) value;
            if (unreserved(decoded)) {
                out.append(decoded);
            } else {
                out.append('%').append(rawPath.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
            }
            i += 2;
        }
        return out.toString();
    }

    private static boolean unreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
