package org.wardline.dlp.detect.legacy;

import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Medicare Beneficiary Identifiers (CMS format): 11 characters, position 1 a digit 1-9, positions 2, 5, 8
 * and 9 letters, positions 4, 7, 10 and 11 digits, positions 3 and 6 a letter or digit; letters S, L, O,
 * I, B and Z never occur. Printed with or without dashes after positions 4 and 7.
 */
public final class MbiDetector implements PhiDetector {

  private static final String A = "[AC-HJKMNP-RT-Yac-hjkmnp-rt-y]";
  private static final String AN = "(?:" + A + "|\\d)";
  private static final Pattern MBI = Pattern.compile(
      "(?<![A-Za-z0-9-])[1-9]" + A + AN + "\\d(-?)" + A + AN + "\\d\\1" + A + A + "\\d\\d(?![A-Za-z0-9-])");

  @Override
  public String name() {
    return "mbi";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.MBI;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    int[] all = text.idTokenStarts();
    int[] starts = new int[all.length];
    int n = 0;
    for (int s : all) {
      int len = text.idTokenLength(s);
      if (len == 11 || len == 13) {
        starts[n++] = s;
      }
    }
    text.matchAt(starts, n, MBI, m -> {
      boolean cue = text.precededBy(m.start(), 30, "mbi", "medicare");
      out.accept(finding(m.start(), m.end(), cue ? 0.99 : 0.9));
    });
  }
}
