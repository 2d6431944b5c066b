package org.wardline.dlp.detect.legacy;

import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * National Provider Identifiers: ten digits starting with 1 or 2 whose last digit is the Luhn check digit
 * computed with the card-issuer prefix 80840. A bare valid number is a weak signal (one random ten-digit
 * number in ten passes), an "NPI" cue makes it strong.
 */
public final class NpiDetector implements PhiDetector {

  private static final Pattern TEN_DIGITS = Pattern.compile("(?<![\\d-])[12]\\d{9}(?![\\d-])");

  @Override
  public String name() {
    return "npi";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.NPI;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    text.matchAtDigitRuns((s, n) -> n == 10, TEN_DIGITS, m -> {
      if (valid(m.group())) {
        boolean cue = text.precededBy(m.start(), 24, "npi", "provider");
        out.accept(finding(m.start(), m.end(), cue ? 0.97 : 0.55));
      }
    });
  }

  static boolean valid(String tenDigits) {
    return tenDigits.length() == 10 && Checksums.luhnValid("80840" + tenDigits);
  }
}
