package org.wardline.dlp.detect;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Ages of 90 and over ("92 y/o", "92yo", "92-year-old", "age 93", "aged 101", "94 YOF"), which Safe Harbor
 * treats as identifying. The finding covers the number only.
 */
public final class AgeOver89Detector implements PhiDetector {

  private static final Pattern AGE_THEN_UNIT = Pattern.compile(
      "(?<![\\w.])(\\d{2,3})[ -]{0,3}(?:y/o|y\\.o\\.?|yo|yrs?[ -]old|yrs?|years?[ -]old|years? of age|years?|y)"
          + "(?: ?[mf])?(?![A-Za-z])",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern CUE_THEN_AGE = Pattern.compile(
      "(?<=(?<![A-Za-z])(?:age|aged|ages)[: ]{1,2})(\\d{2,3})(?![\\d.])", Pattern.CASE_INSENSITIVE);

  @Override
  public String name() {
    return "age-over-89";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.AGE_OVER_89;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    String t = text.text();
    ScanText.RunFilter twoOrThreeDigits = (s, n) -> (n == 2 && t.charAt(s) == '9')
        || (n == 3 && t.charAt(s) == '1' && t.charAt(s + 1) <= '2');
    text.matchAtDigitRuns((s, n) -> twoOrThreeDigits.test(s, n) && unitAhead(text, s + n), AGE_THEN_UNIT,
        m -> emit(m.group(1), m.start(1), m.end(1), 0.95, out));
    text.matchAtDigitRuns((s, n) -> twoOrThreeDigits.test(s, n) && cueBehind(text, s), CUE_THEN_AGE,
        m -> emit(m.group(1), m.start(1), m.end(1), 0.9, out));
  }

  /** Up to three spaces or dashes, then a "y": every unit the pattern knows starts so. */
  private static boolean unitAhead(ScanText text, int p) {
    for (int k = 0; k < 3 && (text.charAt(p) == ' ' || text.charAt(p) == '-'); k++) {
      p++;
    }
    return text.charAt(p) == 'y' || text.charAt(p) == 'Y';
  }

  /** One or two of ':' and ' ' before {@code s}, and before them the last letter of age, aged or ages. */
  private static boolean cueBehind(ScanText text, int s) {
    if (!isColonOrSpace(text.charAt(s - 1))) {
      return false;
    }
    return isCueEnd(text.charAt(s - 2)) || (isColonOrSpace(text.charAt(s - 2)) && isCueEnd(text.charAt(s - 3)));
  }

  private static boolean isColonOrSpace(char c) {
    return c == ':' || c == ' ';
  }

  private static boolean isCueEnd(char c) {
    char l = (char) (c | 0x20);
    return l == 'e' || l == 'd' || l == 's';
  }

  private void emit(String digits, int start, int end, double confidence, Consumer<Finding> out) {
    int age = Integer.parseInt(digits);
    if (age >= 90 && age <= 125) {
      out.accept(finding(start, end, confidence));
    }
  }
}
