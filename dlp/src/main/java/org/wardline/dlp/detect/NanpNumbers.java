package org.wardline.dlp.detect;

import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** North American numbering plan numbers in the usual written forms; shared by the phone and fax detectors. */
final class NanpNumbers {

  private static final Pattern NUMBER = Pattern.compile(
      "(?<![\\w.+-])(?:\\+?1[-. ]?)?(?:\\(([2-9]\\d\\d)\\) ?|([2-9]\\d\\d)([-. ]))([2-9]\\d\\d)[-. ]\\d{4}"
          + "(?:,? ?(?:x|ext\\.?|extension) ?\\d{1,5})?(?![\\w-])"
          + "|(?<![\\w.+-])[2-9]\\d\\d[2-9]\\d{6}(?![\\w-])",
      Pattern.CASE_INSENSITIVE);
  static final String[] FAX_CUES = {"fax", "fx", "facsimile", "f:"};
  private static final String[] PHONE_CUES = {
    "phone", "ph", "tel", "telephone", "cell", "mobile", "call", "called", "contact", "pager", "home", "work", "#"
  };

  private NanpNumbers() {}

  /** Calls {@code onNumber(matcher, confidence)} for each number; bare ten digits need a phone or fax cue. */
  static void scan(ScanText text, BiConsumer<Matcher, Double> onNumber) {
    text.findIn(text.digitRegions(), NUMBER, m -> {
      boolean bare = m.group(1) == null && m.group(2) == null;
      if (bare) {
        if (text.precededBy(m.start(), 24, PHONE_CUES) || text.precededBy(m.start(), 24, FAX_CUES)) {
          onNumber.accept(m, 0.8);
        }
      } else {
        onNumber.accept(m, 0.9);
      }
    });
  }

  static boolean isFax(ScanText text, int start) {
    return text.precededBy(start, 16, FAX_CUES);
  }
}
