package org.wardline.dlp.detect.legacy;

import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * US Social Security numbers: {@code 123-45-6789}, {@code 123 45 6789}, or nine bare digits after an SSN
 * cue. Numbers the SSA never issues (area 000, 666, 900-999; group 00; serial 0000) are rejected.
 */
public final class SsnDetector implements PhiDetector {

  private static final Pattern SSN =
      Pattern.compile("(?<![\\d-])(\\d{3})([- ]?)(\\d{2})\\2(\\d{4})(?![\\d-])");
  private static final String[] CUES = {"ssn", "ss#", "ss #", "social security", "soc sec", "social"};

  @Override
  public String name() {
    return "ssn";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.SSN;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    text.matchAtDigitRuns((s, n) -> n == 3 || n == 9, SSN, m -> {
      if (!issuable(m.group(1), m.group(3), m.group(4))) {
        return;
      }
      boolean cue = text.precededBy(m.start(), 24, CUES);
      boolean separated = !m.group(2).isEmpty();
      if (cue) {
        out.accept(finding(m.start(), m.end(), 0.98));
      } else if (separated && m.group(2).equals("-")) {
        out.accept(finding(m.start(), m.end(), 0.85));
      } else if (separated) {
        out.accept(finding(m.start(), m.end(), 0.6));
      }
    });
  }

  /** True unless the SSA never issues numbers of this shape. */
  static boolean issuable(String area, String group, String serial) {
    int a = Integer.parseInt(area);
    return a != 0 && a != 666 && a < 900 && !group.equals("00") && !serial.equals("0000");
  }
}
