package org.wardline.dlp.detect.legacy;

/** Check-digit algorithms used by identifier detectors. */
final class Checksums {

  private Checksums() {}

  /** Luhn (mod 10) over the ASCII digits of {@code digits}; non-digits are not allowed. */
  static boolean luhnValid(CharSequence digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  /** Digits of {@code s}, dropping separators. */
  static String digitsOnly(CharSequence s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        b.append(c);
      }
    }
    return b.toString();
  }
}
