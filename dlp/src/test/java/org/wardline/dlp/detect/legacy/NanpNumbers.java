package org.wardline.dlp.detect.legacy;

import java.util.ArrayList;
import java.util.List;
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

  /** A number found: [start, end) and its confidence. */
  record Number(int start, int end, double confidence) {}

  /** Every number in the text (computed once per text, shared by the phone and fax detectors). */
  static List<Number> numbers(ScanText text) {
    return text.memo(NanpNumbers.class, () -> {
      List<Number> found = new ArrayList<>();
      int[] starts = candidateStarts(text);
      text.matchAt(starts, starts.length, NUMBER, m -> {
        boolean bare = m.group(1) == null && m.group(2) == null;
        if (!bare) {
          found.add(new Number(m.start(), m.end(), 0.9));
        } else if (text.precededBy(m.start(), 24, PHONE_CUES) || text.precededBy(m.start(), 24, FAX_CUES)) {
          found.add(new Number(m.start(), m.end(), 0.8));
        }
      });
      return found;
    });
  }

  /**
   * Where a number can start: a lone "1" country code (or "+1"), a three-digit area code (or the "(" before
   * it), or ten bare digits.
   */
  private static int[] candidateStarts(ScanText text) {
    int n = text.digitRunCount();
    int[] out = new int[Math.max(1, n)];
    int k = 0;
    for (int r = 0; r < n; r++) {
      int s = text.digitRunStart(r);
      int len = text.digitRunLength(r);
      char next = text.charAt(s + len);
      char afterNext = text.charAt(s + len + 1);
      boolean plausible = switch (len) {
        case 1 -> text.charAt(s) == '1' && " -.".indexOf(next) >= 0 && (isDigit(afterNext) || afterNext == '(');
        case 3 -> (" -.".indexOf(next) >= 0 && isDigit(afterNext))
            || (next == ')' && (isDigit(afterNext) || (afterNext == ' ' && isDigit(text.charAt(s + len + 2)))));
        case 10 -> true;
        default -> false;
      };
      if (plausible) {
        char before = text.charAt(s - 1);
        out[k++] = before == '(' || before == '+' ? s - 1 : s;
      }
    }
    return java.util.Arrays.copyOf(out, k);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isFax(ScanText text, int start) {
    return text.precededBy(start, 16, FAX_CUES);
  }
}
