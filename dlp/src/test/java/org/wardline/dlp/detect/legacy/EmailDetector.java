package org.wardline.dlp.detect.legacy;

import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;

import java.util.function.Consumer;

/** E-mail addresses, found by expanding around each '@' (no regex backtracking over long runs). */
public final class EmailDetector implements PhiDetector {

  private static final int MAX_LOCAL = 64;
  private static final int MAX_DOMAIN = 255;

  @Override
  public String name() {
    return "email";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.EMAIL;
  }

  @Override
  public void detect(ScanText scan, Consumer<Finding> out) {
    String t = scan.text();
    for (int at = t.indexOf('@'); at >= 0; at = t.indexOf('@', at + 1)) {
      int s = at;
      while (s > 0 && at - s < MAX_LOCAL && isLocalChar(t.charAt(s - 1))) {
        s--;
      }
      while (s < at && t.charAt(s) == '.') {
        s++;
      }
      int e = at + 1;
      int lastDot = -1;
      while (e < t.length() && e - at <= MAX_DOMAIN && isDomainChar(t.charAt(e))) {
        if (t.charAt(e) == '.') {
          lastDot = e;
        }
        e++;
      }
      while (e > at + 1 && (t.charAt(e - 1) == '.' || t.charAt(e - 1) == '-')) {
        e--;
        if (lastDot >= e) {
          lastDot = t.lastIndexOf('.', e - 1) > at ? t.lastIndexOf('.', e - 1) : -1;
        }
      }
      if (s < at && lastDot > at + 1 && e - lastDot - 1 >= 2 && tldLetters(t, lastDot + 1, e)) {
        out.accept(finding(s, e, 0.97));
      }
    }
  }

  private static boolean tldLetters(String t, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isLetter(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLocalChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ".!#$%&'*+/=?^_`{|}~-".indexOf(c) >= 0;
  }

  private static boolean isDomainChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
  }
}
