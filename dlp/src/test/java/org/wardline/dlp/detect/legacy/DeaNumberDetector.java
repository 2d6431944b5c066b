package org.wardline.dlp.detect.legacy;

import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * DEA registration numbers: two letters and seven digits, with the DEA check digit
 * ((d1 + d3 + d5) + 2 * (d2 + d4 + d6)) mod 10 = d7.
 */
public final class DeaNumberDetector implements PhiDetector {

  private static final Pattern DEA =
      Pattern.compile("(?<![A-Za-z0-9])[ABCDEFGHJKLMPRSTUXabcdefghjklmprstux][A-Za-z9]\\d{7}(?![A-Za-z0-9])");

  @Override
  public String name() {
    return "dea";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.DEA_NUMBER;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    int[] all = text.idTokenStarts();
    int[] starts = new int[all.length];
    int n = 0;
    for (int s : all) {
      if (text.idTokenLength(s) == 9) {
        starts[n++] = s;
      }
    }
    text.matchAt(starts, n, DEA, m -> {
      if (checksumValid(m.group())) {
        boolean cue = text.precededBy(m.start(), 20, "dea");
        out.accept(finding(m.start(), m.end(), cue ? 0.98 : 0.85));
      }
    });
  }

  static boolean checksumValid(String dea) {
    if (dea.length() != 9) {
      return false;
    }
    int[] d = new int[7];
    for (int i = 0; i < 7; i++) {
      d[i] = dea.charAt(i + 2) - '0';
    }
    int sum = d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5]);
    return sum % 10 == d[6];
  }
}
