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
      "(?<![\\w.+/])(?<![^-]-)\\(?[2-9]\\d\\d\\)?(?:(?:[/.-] ?| )[2-9]\\d\\d(?:[/.-] ?| )|[ -]?[2-9]\\d\\d[ -]?)\\d{4}\\)?(?![\\w/-])"
          + "|(?<![\\w.+/-])[2-9]\\d\\d ?[2-9]\\d{6}(?![\\w/-])"
          + "|(?<![\\w.+/-])\\d{3}-\\d{3}-\\d{4}(?![\\w/-])");
  private static final WordTable PAGER_WORDS = WordTable.of(java.util.List.of("pager", "beeper", "pgr", "beep",
      "page", "paged", "ext", "extension", "bpr"));
  private static final WordTable FILLERS = WordTable.of(java.util.List.of("number", "no", "num", "at", "is", "via"));
  private static final String[] PHONE_CUES = {"phone", "ph", "tel", "telephone", "cell", "mobile", "call", "called",
    "contact", "reached", "number", "home", "work", "#", "at"};

  /** "pager # 98765", "beeper number 55037", "ext. 4410": a pager word within two words before. */
  private static boolean pagerWordBefore(ScanText text, int s) {
    String t = text.text();
    int i = s - 1;
    for (int words = 0; words < 2; words++) {
      int gap = 0;
      while (i >= 0 && !Character.isLetter(t.charAt(i))) {
        char c = t.charAt(i);
        if ((c != ' ' && c != '#' && c != ':' && c != '.' && c != '-') || ++gap > 4) {
          return false;
        }
        i--;
      }
      int e = i + 1;
      while (i >= 0 && Character.isLetter(t.charAt(i)) && e - i <= 10) {
        i--;
      }
      if (e - (i + 1) < 2) {
        return false;
      }
      if (PAGER_WORDS.contains(t, i + 1, e)) {
        return true;
      }
      if (!FILLERS.contains(t, i + 1, e)) {
        return false;
      }
    }
    return false;
  }

  /** After three digits: a separator, then three more digits ("201/324", "212- 476", "(201-223"), or seven. */
  private static boolean looseShape(ScanText text, int s) {
    int p = s + 3;
    if (text.charAt(p) == ')') {
      p++;
    }
    char c = text.charAt(p);
    if (c == '/' || c == '.' || c == '-') {
      p++;
      if (text.charAt(p) == ' ') {
        p++;
      }
    } else if (c == ' ') {
      p++;
    } else {
      return false;
    }
    return text.digitsAt(p, 3);
  }

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
    text.matchAtDigitRuns((s, n) -> n == 10 || (n == 3 && looseShape(text, s)), LOOSE, m -> out.accept(finding(m.start(), m.end(), 0.8)));
    int runs = text.digitRunCount();
    for (int r = 0; r < runs; r++) {
      int n = text.digitRunLength(r);
      if (n < 4 || n > 7) {
        continue;
      }
      int s = text.digitRunStart(r);
      char before = text.charAt(s - 1);
      char after = text.charAt(s + n);
      if (Character.isLetterOrDigit(before) || before == '.' || before == '_' || Character.isLetterOrDigit(after)
          || after == '_' || after == '/' || after == '-' || (after == '.' && Character.isDigit(text.charAt(s + n + 1)))) {
        continue;
      }
      if (pagerWordBefore(text, s)) {
        out.accept(finding(s, s + n, 0.7));
      } else if (n == 7 && text.precededBy(s, 24, PHONE_CUES) && !NanpNumbers.isFax(text, s)) {
        out.accept(finding(s, s + n, 0.7));
      }
    }
  }
}
