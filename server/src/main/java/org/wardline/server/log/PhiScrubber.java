package org.wardline.server.log;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last line of defence between a log call and the log: masks what looks like PHI or a secret in free
 * text (e-mail addresses, long digit runs such as SSNs, phone, record and card numbers, link secrets after
 * {@code #}, bearer tokens) and drops the values of fields whose names say they carry such data.
 * Code should log identifiers and counts in the first place; this catches the mistakes.
 */
public final class PhiScrubber {
    private static final Set<String> SENSITIVE_KEYS = Set.of(
            "password", "passphrase", "secret", "token", "code", "otp", "body", "content", "text", "message",
            "filename", "file", "name", "email", "phone", "address", "ssn", "dob", "mrn", "recipient",
            "subject", "authorization", "cookie", "query");

    private static final Pattern UUID = Pattern.compile(
            "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    private static final Pattern[] MASKS = {
        Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+"),
        Pattern.compile("(?i)\\b(?:bearer|basic)\\s+[A-Za-z0-9._~+/=-]+"),
        Pattern.compile("#[A-Za-z0-9_-]{12,}"),
        Pattern.compile("\\beyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*"),
        Pattern.compile("(?<![\\w.])\\+?\\(?\\d(?:[\\d()\\s.-]{5,}\\d)(?![\\w.])"),
    };

    private PhiScrubber() {
    }

    private static final Set<String> SAFE_KEYS = Set.of("errorcode", "statuscode", "errortype", "exitcode");

    /** True when a field of this name must never be written. */
    public static boolean isSensitiveKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (SAFE_KEYS.contains(k)) {
            return false;
        }
        for (String s : SENSITIVE_KEYS) {
            if (k.equals(s) || k.endsWith(s) && !k.endsWith("id") && !k.endsWith("count")) {
                return true;
            }
        }
        return false;
    }

    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        Matcher uuid = UUID.matcher(text);
        int last = 0;
        while (uuid.find()) {
            out.append(mask(text.substring(last, uuid.start()))).append(uuid.group());
            last = uuid.end();
        }
        out.append(mask(text.substring(last)));
        return out.toString();
    }

    private static String mask(String segment) {
        String s = segment;
        for (Pattern p : MASKS) {
            s = p.matcher(s).replaceAll(m -> countDigits(m.group()) >= 7 || !m.group().matches("[\\d()\\s.+-]+")
                    ? "[REDACTED]" : Matcher.quoteReplacement(m.group()));
        }
        return s;
    }

    private static int countDigits(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }
}
