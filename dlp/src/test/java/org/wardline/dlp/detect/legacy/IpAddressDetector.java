package org.wardline.dlp.detect.legacy;

import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/** IPv4 dotted quads and IPv6 addresses (full, compressed with "::", or with an embedded IPv4 tail). */
public final class IpAddressDetector implements PhiDetector {

  private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern V4 =
      Pattern.compile("(?<![\\d.])" + OCTET + "(?:\\." + OCTET + "){3}(?![\\d]|\\.\\d)");
  private static final Pattern V4_EXACT = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");

  @Override
  public String name() {
    return "ip-address";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.IP_ADDRESS;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    text.matchAtDigitRuns((s, n) -> n <= 3 && text.charAt(s + n) == '.', V4,
        m -> out.accept(finding(m.start(), m.end(), 0.9)));
    findV6(text.text(), out);
  }

  private void findV6(String t, Consumer<Finding> out) {
    int len = t.length();
    int i = t.indexOf(':');
    while (i >= 0) {
      int s = i;
      while (s > 0 && isV6Char(t.charAt(s - 1))) {
        s--;
      }
      int e = i;
      while (e < len && isV6Char(t.charAt(e))) {
        e++;
      }
      while (e > s && t.charAt(e - 1) == '.') {
        e--;
      }
      if (e - s >= 3 && (s == 0 || !Character.isLetterOrDigit(t.charAt(s - 1)))
          && (e == len || !Character.isLetterOrDigit(t.charAt(e))) && isV6(t.substring(s, e))) {
        out.accept(finding(s, e, 0.9));
      }
      i = t.indexOf(':', Math.max(e, i + 1));
    }
  }

  private static boolean isV6Char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
  }

  /** RFC 4291 text form: eight groups, or fewer around a single "::"; the last two may be an IPv4 quad. */
  static boolean isV6(String s) {
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      return false;
    }
    if (dbl < 0) {
      int groups = countGroups(s);
      return groups == 8;
    }
    String head = s.substring(0, dbl);
    String tail = s.substring(dbl + 2);
    int h = head.isEmpty() ? 0 : countGroups(head);
    int tl = tail.isEmpty() ? 0 : countGroups(tail);
    return h >= 0 && tl >= 0 && h + tl <= 7 && (h + tl > 0 || s.equals("::"));
  }

  /** Number of 16-bit groups, counting an IPv4 tail as two; -1 if malformed. */
  private static int countGroups(String part) {
    String[] groups = part.split(":", -1);
    int n = 0;
    for (int g = 0; g < groups.length; g++) {
      String grp = groups[g];
      if (g == groups.length - 1 && grp.indexOf('.') >= 0) {
        if (!V4_EXACT.matcher(grp).matches()) {
          return -1;
        }
        n += 2;
      } else if (grp.isEmpty() || grp.length() > 4 || grp.indexOf('.') >= 0) {
        return -1;
      } else {
        n++;
      }
    }
    return n;
  }
}
