package org.wardline.dlp.detect;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates more specific than a year: 7/22, 07/22/1992, 7-22-92, 1992-07-22, July 22nd, Jul 22, 1992,
 * 22 July 1992, 22nd of July, 22-Jul-92, July 1992. Fractions and scores that look like M/D ("pain 7/10",
 * "5/5 strength", "1/2 tab") are skipped.
 */
public final class DateDetector implements PhiDetector {

  private static final String MONTH = "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
      + "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
  private static final String DAY = "(0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?";
  private static final String YEAR = "((?:19|20)\\d\\d|'?\\d\\d)";
  private static final Pattern MONTH_FIRST = Pattern.compile(
      "(?<![A-Za-z])" + MONTH + "[ -]" + DAY + "(?:(?:,? |[ -])" + YEAR + ")?(?![\\w/:])", Pattern.CASE_INSENSITIVE);
  private static final Pattern DAY_FIRST = Pattern.compile(
      "(?<![\\w/.])" + DAY + "(?: of)?[ -]" + MONTH + "(?:(?:,? |[ -])" + YEAR + ")?(?![A-Za-z])", Pattern.CASE_INSENSITIVE);
  private static final Pattern MONTH_YEAR = Pattern.compile(
      "(?<![A-Za-z])" + MONTH + ",? (?:of )?((?:19|20)\\d\\d)(?!\\d)", Pattern.CASE_INSENSITIVE);
  private static final Pattern NUMERIC = Pattern.compile(
      "(?<![\\d/.+:])(?<![\\d/.+:]-)(0?[1-9]|1[0-2])([/-])(0?[1-9]|[12]\\d|3[01])(?:\\2((?:19|20)\\d\\d|\\d\\d))?(?![\\d/]|-\\d|\\.\\d)");
  private static final Pattern ISO = Pattern.compile(
      "(?<![\\d/.-])(?:19|20)\\d\\d([-/.])(0?[1-9]|1[0-2])\\1(0?[1-9]|[12]\\d|3[01])(?![\\d/.]\\d|\\d)");
  private static final String[] SCORE_WORDS = {
    "pain", "strength", "scale", "tab", "tabs", "tablet", "ns", "cup", "dose", "pulses", "pulse", "score", "rated",
    "rates", "motor", "gcs", "sliding", "cm", "mm", "of"
  };

  @Override
  public String name() {
    return "date";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.DATE;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    int[] months = text.monthWordStarts();
    text.matchAt(months, months.length, MONTH_FIRST, m -> emitNamed(text, m, 3, out));
    text.matchAt(months, months.length, MONTH_YEAR, m -> out.accept(finding(m.start(), m.end(), 0.85)));
    text.matchAtDigitRuns((s, n) -> n <= 2 && monthFollows(text, s + n), DAY_FIRST, m -> emitNamed(text, m, 3, out));
    text.matchAtDigitRuns((s, n) -> n == 4 && isoShape(text, s), ISO,
        m -> out.accept(finding(m.start(), m.end(), 0.95)));
    text.matchAtDigitRuns((s, n) -> n <= 2 && (text.charAt(s + n) == '/' || text.charAt(s + n) == '-'), NUMERIC, m -> {
      boolean withYear = m.group(4) != null;
      if (m.end() < text.text().length() && text.charAt(m.end()) == '%' || unitRightAfter(text.text(), m.end())) {
        return; // "12/5/40%", "2-4L NP", "11/2HR": settings and amounts, not dates
      }
      if (withYear) {
        out.accept(finding(m.start(), m.end(), 0.95));
      } else if (datedEvent(text, m) || !looksLikeScore(text, m) && !looksLikeRangeOrFraction(text, m)) {
        out.accept(finding(m.start(), m.end(), 0.75));
      }
    });
  }

  /** A 19xx or 20xx year, a separator, a digit, and the same separator one or two chars later. */
  private static boolean isoShape(ScanText text, int s) {
    char c0 = text.charAt(s);
    char c1 = text.charAt(s + 1);
    char sep = text.charAt(s + 4);
    return ((c0 == '1' && c1 == '9') || (c0 == '2' && c1 == '0')) && (sep == '-' || sep == '/' || sep == '.')
        && Character.isDigit(text.charAt(s + 5)) && (text.charAt(s + 6) == sep || text.charAt(s + 7) == sep);
  }

  /** After a day number: optional ordinal, a space or dash, optional "of ", then a month's initial. */
  private static boolean monthFollows(ScanText text, int p) {
    if (Character.isLetter(text.charAt(p)) && Character.isLetter(text.charAt(p + 1))) {
      p += 2;
    }
    char sep = text.charAt(p);
    if (sep != ' ' && sep != '-') {
      return false;
    }
    p++;
    if ((text.charAt(p) == 'o' || text.charAt(p) == 'O') && (text.charAt(p + 1) == 'f' || text.charAt(p + 1) == 'F')) {
      p += 3;
    }
    return "jfmasondJFMASOND".indexOf(text.charAt(p)) >= 0 && text.charAt(p) != 0;
  }

  private void emitNamed(ScanText text, Matcher m, int yearGroup, Consumer<Finding> out) {
    String month = m.group(m.pattern() == MONTH_FIRST ? 1 : 2);
    boolean ambiguousMonth = month.equalsIgnoreCase("may") || month.equalsIgnoreCase("mar");
    boolean withYear = m.group(yearGroup) != null;
    if (ambiguousMonth && !withYear
        && (Character.isLowerCase(month.charAt(0)) || nextWordIsUnit(text.text(), m.end()))) {
      return; // "may 5", "MAR 2 mg": a verb or the medication administration record, not a date
    }
    out.accept(finding(m.start(), m.end(), withYear ? 0.95 : ambiguousMonth ? 0.6 : 0.85));
  }

  private static final String[] DATE_CUES = {"on", "since", "dated", "date", "dos", "dob", "admitted", "adm",
    "from", "until", "of", "seen", "last", "next", "due", "f/u", "by", "before", "after"};
  private static final String[] VENT_MODES = {"psv", "peep", "cpap", "bipap", "simv", "prvc", "vent settings"};
  /** Cues for a dash form; not "of" ("assist of 1-2") or "from" ("from 4-5 L"). */
  private static final String[] DASH_CUES = {"on", "since", "dated", "date", "dos", "dob", "admitted", "adm",
    "until", "seen", "last", "next", "due", "f/u", "by", "before", "after"};
  /** Words that put a score-like M/D back to a date. */
  private static final String[] DAY_CUES = {"on", "since", "dated", "dos", "admitted", "adm", "until", "till"};
  private static final String[] SETTING_CUES = {"ps", "peep", "cpap", "psv", "bipap", "simv", "ac", "imv", "prvc",
    "vent", "settings", "x", "ie", "i:e", "ratio"};

  /**
   * "2-3 times", "12-16", "1/2 tab", "PS 10/5": number ranges, fractions and ventilator settings written like
   * a month and day. A dash form counts only after a date cue ("since 7-22"), a fraction-like slash form
   * (1/2, 2/3, 3/8) never, and nothing right after a ventilator setting.
   */
  private static boolean looksLikeRangeOrFraction(ScanText text, Matcher m) {
    int setting = text.distanceFromCue(m.start(), 10, SETTING_CUES);
    int mode = text.distanceFromCue(m.start(), 24, VENT_MODES); // "PSV increased to 10/5"
    if (mode >= 0 && (setting < 0 || mode < setting)) {
      setting = mode;
    }
    int dayCue = text.distanceFromCue(m.start(), 10, DAY_CUES);
    boolean afterDayCue = dayCue >= 0 && dayCue <= 2;
    if (setting >= 0 && !(afterDayCue && dayCue < setting)) {
      return true; // "PS 10/5", but "CABG X3 ON 7/30" is a date
    }
    int month = Integer.parseInt(m.group(1));
    int day = Integer.parseInt(m.group(3));
    if (m.group(2).equals("-")) {
      char after = m.end() < text.text().length() ? text.charAt(m.end()) : ' ';
      if (after == 's' || after == 'S' || after == '\'') {
        return true; // "ranging from 11-30s"
      }
      int d = text.distanceFromCue(m.start(), 12, DASH_CUES);
      return d < 0 || d > 2;
    }
    // fractions are written reduced (1/2, 3/8, 5/16), so 8/16 or 10/16 is a date; "on 7/8" is one too
    return month < day && (day == 2 || day == 3 || day == 4 || day == 8 || day == 16) && gcd(month, day) == 1
        && !(afterDayCue && month >= 5);
  }

  /** Words before a score ("PAIN 7/10 AFTER CATH" is a score). */
  private static final String[] SCORED = {"pain", "strength", "motor", "gcs", "score", "rated", "rates", "scale"};

  /** Procedures and events a note dates: "OR 6/10 for a CABG", "3/16-> CABGx4". */
  private static final String[] EVENTS = {"cabg", "ptca", "pci", "cath", "stent", "surgery", "mvr", "avr",
    "intubat", "extubat", "admi", "discharg", "transfer", "transplant", "biopsy", "echo", "mri", "angio",
    "thoracent", "parcent", "ercp", "egd", "colonoscopy", "ablation", "pacer", "icd", "trach", "peg"};

  /**
   * A slash M/D that a timeline entry or a dated procedure makes a date even where it looks like a score:
   * at the start of a line or sentence with words after it ("10/10 2WK HX OF ..."), or with a procedure right
   * after it. A unit, a score word or a ventilator setting close before it still wins.
   */
  private static boolean datedEvent(ScanText text, Matcher m) {
    String t = text.text();
    int end = m.end();
    if (!m.group(2).equals("/") || end >= t.length() || !(t.charAt(end) == ' ' || t.charAt(end) == '-')) {
      return false;
    }
    int setting = text.distanceFromCue(m.start(), 6, SETTING_CUES);
    if (setting >= 0 && setting <= 1 || nextWordIsUnit(t, end) || nextWordIsScore(t, end)
        || text.distanceFromCue(m.start(), 12, SCORED) >= 0) {
      return false;
    }
    if (text.followedBy(end, 14, EVENTS)) {
      return true;
    }
    int b = m.start() - 1;
    while (b >= 0 && t.charAt(b) == ' ') {
      b--;
    }
    // a setting cue before the sentence's end belongs to the sentence before ("PERFORATIONS X2. 10/15 RAPID AF")
    boolean entryStart = b < 0 || t.charAt(b) == '\n' || (b < m.start() - 1 && (t.charAt(b) == '.' || t.charAt(b) == ';'));
    return entryStart && end + 1 < t.length() && Character.isLetterOrDigit(t.charAt(end + 1))
        && (setting < 0 || setting >= m.start() - b);
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  private static boolean looksLikeScore(ScanText text, Matcher m) {
    String t = text.text();
    if (m.start() > 0 && (t.charAt(m.start() - 1) == '+' || t.charAt(m.start() - 1) == 'x')) {
      return true;
    }
    int cue = text.distanceFromCue(m.start(), 10, DAY_CUES);
    if (cue >= 0 && cue <= 2) {
      return false; // "on 8/10", "since 6/5": a date after all
    }
    int month = Integer.parseInt(m.group(1));
    int day = Integer.parseInt(m.group(3));
    if ((day == 10 || day == 5 || day == 4) && month <= day) {
      // "7/10", "5/5", "4/5": scores and muscle grades far more often than dates
      return true;
    }
    return text.followedBy(m.end(), 10, SCORE_WORDS) && nextWordIsScore(t, m.end());
  }

  /** A unit or count word right after ("2-4L", "4-5 L NC", "1-2 pillows", "11/2HR"). */
  private static boolean unitRightAfter(String t, int from) {
    if (from >= t.length() || !(t.charAt(from) == ' ' || Character.isLetter(t.charAt(from)))) {
      return false;
    }
    return switch (nextWord(t, from)) {
      case "l", "lpm", "liters", "litres", "pillows", "times", "hr", "hrs", "hours", "min", "mins", "minutes",
          "mg", "mcg", "ml", "cc", "units", "tabs", "puffs", "days", "wks", "weeks", "people", "assist" -> true;
      default -> false;
    };
  }

  private static boolean nextWordIsUnit(String t, int from) {
    String w = nextWord(t, from);
    return switch (w) {
      case "mg", "mcg", "ml", "g", "units", "unit", "tabs", "tab", "meq", "puffs", "drops", "l" -> true;
      default -> false;
    };
  }

  private static String nextWord(String t, int from) {
    int i = from;
    while (i < t.length() && t.charAt(i) == ' ') {
      i++;
    }
    int e = i;
    while (e < t.length() && Character.isLetter(t.charAt(e))) {
      e++;
    }
    return t.substring(i, e).toLowerCase(java.util.Locale.ROOT);
  }

  private static boolean nextWordIsScore(String t, int from) {
    int i = from;
    while (i < t.length() && t.charAt(i) == ' ') {
      i++;
    }
    int e = i;
    while (e < t.length() && Character.isLetter(t.charAt(e))) {
      e++;
    }
    String w = t.substring(i, e).toLowerCase(java.util.Locale.ROOT);
    for (String s : SCORE_WORDS) {
      if (s.equals(w)) {
        return true;
      }
    }
    return false;
  }
}
