package org.wardline.dlp.detect;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Telephone numbers in the looser forms notes use, which {@link PhoneNumberDetector} leaves alone:
 * "201/324/1423", "(201-223-4567)", "212- 476- 8356", "202 2671093", and pager or beeper numbers after their
 * cue ("pager # 98765", "beeper number 55037").
 */
public final class PhoneFormsDetector implements PhiDetector {

  private static final Pattern LOOSE = Pattern.compile(
      "(?<![\\w.+/-])\\(?[2-9]\\d\\d\\)?(?:(?:[/.-] ?| )[2-9]\\d\\d(?:[/.-] ?| )|[ -]?[2-9]\\d\\d[ -]?)\\d{4}\\)?(?![\\w/-])"
          + "|(?<![\\w.+/-])[2-9]\\d\\d ?[2-9]\\d{6}(?![\\w/-])");
  private static final Pattern PAGER = Pattern.compile("(?<![\\w.])\\d{4,7}(?![\\w/.-])");
  private static final String[] PAGER_CUES = {"pager", "beeper", "pgr", "beep", "page", "paged", "ext", "extension",
    "pager#", "bpr"};
  private static final String[] PHONE_CUES = {"phone", "ph", "tel", "telephone", "cell", "mobile", "call", "called",
    "contact", "reached", "number", "home", "work", "#", "at"};

  @Override
  public String name() {
    return "phone-forms";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.PHONE;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    text.matchAtDigitRuns((s, n) -> n == 3 || n == 10, LOOSE, m -> out.accept(finding(m.start(), m.end(), 0.8)));
    int[] starts = new int[text.digitRunCount()];
    for (int r = 0; r < starts.length; r++) {
      starts[r] = text.digitRunStart(r);
    }
    text.matchAt(starts, starts.length, PAGER, m -> {
      if (text.precededBy(m.start(), 22, PAGER_CUES)) {
        out.accept(finding(m.start(), m.end(), 0.7));
      } else if (m.end() - m.start() == 7 && text.charAt(m.start() + 3) != ' '
          && text.precededBy(m.start(), 24, PHONE_CUES) && !NanpNumbers.isFax(text, m.start())) {
        out.accept(finding(m.start(), m.end(), 0.7));
      }
    });
  }
}
