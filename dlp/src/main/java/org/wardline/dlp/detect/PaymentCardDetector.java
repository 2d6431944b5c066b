package org.wardline.dlp.detect;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Payment card numbers: 13-19 digits (plain, or grouped 4-4-4-4[-3] or Amex 4-6-5 with spaces or dashes)
 * in a known issuer range (Visa, Mastercard, Amex, Discover, JCB, Diners) with a valid Luhn digit.
 */
public final class PaymentCardDetector implements PhiDetector {

  private static final Pattern CARD = Pattern.compile(
      "(?<![\\d-])(?:\\d{13,19}"
          + "|\\d{4}([ -])\\d{4}\\1\\d{4}\\1\\d{4}(?:\\1\\d{1,3})?"
          + "|\\d{4}([ -])\\d{6}\\2\\d{4,5})(?![\\d-])");

  @Override
  public String name() {
    return "payment-card";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.PAYMENT_CARD;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    // a group of four must be followed by a separator and four more digits, as both grouped forms need
    text.matchAtDigitRuns((s, n) -> (n == 4 && (text.charAt(s + 4) == ' ' || text.charAt(s + 4) == '-')
        && text.digitsAt(s + 5, 4)) || (n >= 13 && n <= 19), CARD, m -> {
      String digits = Checksums.digitsOnly(m.group());
      if (knownIssuer(digits) && Checksums.luhnValid(digits)) {
        out.accept(finding(m.start(), m.end(), 0.95));
      }
    });
  }

  /** Issuer identification number ranges and the lengths each network uses. */
  static boolean knownIssuer(String d) {
    int len = d.length();
    int p2 = Integer.parseInt(d.substring(0, 2));
    int p3 = Integer.parseInt(d.substring(0, 3));
    int p4 = Integer.parseInt(d.substring(0, 4));
    int p6 = Integer.parseInt(d.substring(0, 6));
    if (d.charAt(0) == '4') {
      return len == 13 || len == 16 || len == 19;
    }
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
      return len == 16;
    }
    if (p2 == 34 || p2 == 37) {
      return len == 15;
    }
    if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) {
      return len >= 16 && len <= 19;
    }
    if (p4 >= 3528 && p4 <= 3589) {
      return len >= 16 && len <= 19;
    }
    if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) {
      return len >= 14 && len <= 16;
    }
    return false;
  }
}
