package org.wardline.dlp.detect;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A bare age of 90 or over that opens a line and is followed by the patient's history, the way a note's first
 * line often introduces the patient without "yo": "93 s/p fall at home", "101 F w/ hx of CHF", "96 male
 * admitted with sepsis". Safe Harbor treats such ages as identifying; {@link AgeOver89Detector} finds the ones
 * written with a unit or a cue ("93 y/o", "age 93"). Only at the start of a line, where a count, a dose or a
 * vital sign would carry its label ("HR 98 s/p bolus" is not found). The finding covers the number only.
 */
public final class AgeOpeningHistoryDetector implements PhiDetector {

  private static final Pattern AGE_THEN_HISTORY = Pattern.compile(
      "(9\\d|1[01]\\d)(?: ?(?:m|f|male|female|man|woman|gentleman|lady))?,? "
          + "(?:s/p|h/o|w/|with|hx|pmh|admitted|presents|presented|transferred|who)(?![A-Za-z])",
      Pattern.CASE_INSENSITIVE);

  @Override
  public String name() {
    return "age-opening-history";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.AGE_OVER_89;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    String t = text.text();
    text.matchAtDigitRuns((s, n) -> ((n == 2 && t.charAt(s) == '9') || (n == 3 && t.charAt(s) == '1'
        && (t.charAt(s + 1) == '0' || t.charAt(s + 1) == '1'))) && opensLine(t, s),
        AGE_THEN_HISTORY, m -> out.accept(finding(m.start(1), m.end(1), 0.85)));
  }

  /** Only spaces or tabs between the start of the line (or of the text) and {@code s}. */
  private static boolean opensLine(String t, int s) {
    for (int k = s - 1; k >= 0; k--) {
      char c = t.charAt(k);
      if (c == '\n' || c == '\r') {
        return true;
      }
      if (c != ' ' && c != '\t') {
        return false;
      }
    }
    return true;
  }
}
