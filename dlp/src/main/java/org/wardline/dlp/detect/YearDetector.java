package org.wardline.dlp.detect;

import java.util.List;
import java.util.function.Consumer;

/**
 * Years written alone and month/year dates: "S/P MI 1992", "CABG '92", "MI 92' ", "in the 1980s", "echo 8/87".
 * A four-digit number that can be a 24-hour time (1900-1959, 2000-2059) counts only outside a time's
 * context ("at 2000", "@1930", "1900-2100"); numbers before a unit ("1992 ml") are not years.
 */
public final class YearDetector implements PhiDetector {

  private static final String[] TIME_CUES = {"at", "@", "approx", "approximately", "around", "until", "till",
    "by", "from", "between", "to", "~", "since", "about", "after", "before", "@ ", "start", "started", "time",
    "times", "hrs", "ending", "begin", "began", "q", "thru", "through", "and", "or"};
  private static final WordTable UNITS = WordTable.of(List.of("mg", "mcg", "ml", "cc", "g", "kg", "units", "unit",
      "u", "kcal", "cal", "hrs", "hr", "h", "am", "pm", "l", "meq", "mmol", "gm", "lb", "lbs", "grams", "calories",
      "min", "mins", "steps", "ft", "feet", "in", "x", "times", "rpm", "beats", "bpm", "mmhg", "ml/hr", "cm", "yrs",
      "yr", "years", "year", "yo", "wks", "weeks", "months", "days", "ago"));
  private static final WordTable EVENTS = WordTable.of(List.of("mi", "cabg", "redo", "cva", "tia", "ptca", "pci",
      "stent", "stents", "avr", "mvr", "dx", "diagnosed", "surgery", "repair", "resection", "chole", "appy",
      "lumpectomy", "mastectomy", "hysterectomy", "tah", "turp", "ca", "cancer", "ablation", "pacer", "icd",
      "ppm", "cath", "since", "nstemi", "stemi", "imi", "ami", "dvt", "pe", "fx", "cardioversion", "transplant",
      "nephrectomy", "colectomy", "amputation", "bypass", "x3", "x2", "x4"));

  @Override
  public String name() {
    return "year";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.DATE;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    String t = text.text();
    int runs = text.digitRunCount();
    for (int r = 0; r < runs; r++) {
      int s = text.digitRunStart(r);
      int n = text.digitRunLength(r);
      char before = text.charAt(s - 1);
      char after = text.charAt(s + n);
      if (n == 4) {
        fourDigits(text, t, s, before, after, out);
      } else if (n == 2) {
        twoDigits(text, t, s, before, after, out);
      } else if (n == 6) {
        sixDigits(text, t, s, before, after, out);
      }
      if (n <= 2 && after == '/') {
        monthYear(text, s, n, before, out);
      }
    }
  }

  private void fourDigits(ScanText text, String t, int s, char before, char after, Consumer<Finding> out) {
    int year = Integer.parseInt(t, s, s + 4, 10);
    if (year >= 1800 && year < 1900 && afterDayAndComma(t, s) && !Character.isLetterOrDigit(after)) {
      out.accept(finding(s, s + 4, 0.7)); // "born march 21, 1874": a full date, however old
      return;
    }
    if (year < 1900 || year > 2039 || Character.isLetterOrDigit(before) || before == '/' || before == '.'
        || before == ':' || before == '-' || before == '$' || before == '#') {
      return;
    }
    int end = s + 4;
    if (after == 's' || after == 'S') {
      end++;
    } else if (Character.isLetterOrDigit(after) || after == '/' || after == ':' || after == '%' || after == '+'
        || (after == '.' && Character.isDigit(text.charAt(s + 5))) || after == '-' && Character.isDigit(text.charAt(s + 5))) {
      return;
    }
    if (unitAfter(t, end)) {
      return;
    }
    boolean clockLike = (year < 1960 || year >= 2000) && year % 100 < 60;
    if (clockLike && (timeCueBefore(text, s) || rangeAround(t, s, end))) {
      return;
    }
    out.accept(finding(s, end, clockLike ? 0.7 : 0.85));
  }

  private void twoDigits(ScanText text, String t, int s, char before, char after, Consumer<Finding> out) {
    if (before == '\'' && !Character.isLetterOrDigit(text.charAt(s - 2)) && !Character.isDigit(after)
        && (!Character.isLetter(after) || after == 's' || after == 'S')) {
      out.accept(finding(s - 1, s + 2, 0.8));
      return;
    }
    char afterQuote = text.charAt(s + 3);
    boolean rangeOrDegrees = before == '-' && Character.isDigit(text.charAt(s - 2)) // "HR 70-80'", "HOB 30'"
        || previousWordIs(t, s, "hob");
    if (after == '\'' && !Character.isLetterOrDigit(before) && !Character.isLetterOrDigit(afterQuote)
        && afterQuote != '"' && before != '\'' && !rangeOrDegrees) {
      out.accept(finding(s, s + 3, 0.7));
      return;
    }
    if (Character.isLetterOrDigit(before) || before == '/' || before == '.' || before == '-' || before == ':'
        || Character.isLetterOrDigit(after) || after == '/' || after == '.' && Character.isDigit(text.charAt(s + 3))
        || after == '%' || after == ':' || after == '-') {
      return;
    }
    int yy = Integer.parseInt(t, s, s + 2, 10);
    if (yy < 30 && yy > 25 || unitAfter(t, s + 2)) {
      return;
    }
    int w = previousWordStart(t, s);
    if (w >= 0 && EVENTS.contains(t, w, wordEnd(t, w))) {
      out.accept(finding(s, s + 2, 0.65));
    } else if (sentenceStart(t, s) && after == ' ' && Character.isLetter(text.charAt(s + 3))
        && EVENTS.contains(t, s + 3, wordEnd(t, s + 3))) {
      out.accept(finding(s, s + 2, 0.6)); // a history list: "NIDDM. 09 PTCA to LCX. 13 stent to LAD"
    }
  }

  /** "8/87", "12/93": a month and a two-digit year that cannot be a day (32-99). */
  private void monthYear(ScanText text, int s, int n, char before, Consumer<Finding> out) {
    if (Character.isLetterOrDigit(before) || before == '/' || before == '.' || before == '+' || before == 'x') {
      return;
    }
    String t = text.text();
    int month = Integer.parseInt(t, s, s + n, 10);
    int y = s + n + 1;
    if (month < 1 || month > 12 || !text.digitsAt(y, 2) || Character.isDigit(text.charAt(y + 2))
        || text.charAt(y + 2) == '/' || Character.isLetter(text.charAt(y + 2)) || text.charAt(y + 2) == '%') {
      return;
    }
    int yy = Integer.parseInt(t, y, y + 2, 10);
    if (yy >= 32 && !unitAfter(t, y + 2)) {
      out.accept(finding(s, y + 2, 0.75));
    }
  }

  /**
   * "family meeting 052647": six digits alone that read as a month, a day and a two-digit year. A count after
   * a lab word ("plt 112000") or before a unit is not one.
   */
  private void sixDigits(ScanText text, String t, int s, char before, char after, Consumer<Finding> out) {
    if (Character.isLetterOrDigit(before) || ".$#:-/+=<>~@".indexOf(before) >= 0 || Character.isLetterOrDigit(after)
        || "/%:-+=".indexOf(after) >= 0 || after == '.' && Character.isDigit(text.charAt(s + 7)) || unitAfter(t, s + 6)) {
      return;
    }
    int month = Integer.parseInt(t, s, s + 2, 10);
    int day = Integer.parseInt(t, s + 2, s + 4, 10);
    int w = previousWordStart(t, s);
    if (month < 1 || month > 12 || day < 1 || day > 31 || w >= 0 && w > s - 16 && COUNTS.contains(t, w, wordEnd(t, w))) {
      return;
    }
    out.accept(finding(s, s + 6, 0.55));
  }

  private static final WordTable COUNTS = WordTable.of(List.of("plt", "plts", "platelets", "platelet", "wbc", "rbc",
      "count", "counts", "cells", "x", "mrn", "id", "acct", "account", "phone", "tel", "fax", "pager", "beeper"));

  /** "march 21, " before s: a month word, a day of one or two digits, a comma and a space. */
  private static boolean afterDayAndComma(String t, int s) {
    if (s < 8 || t.charAt(s - 1) != ' ' || t.charAt(s - 2) != ',') {
      return false;
    }
    int d = s - 2;
    int digits = 0;
    while (d > 0 && Character.isDigit(t.charAt(d - 1)) && digits < 3) {
      d--;
      digits++;
    }
    if (digits < 1 || digits > 2 || t.charAt(d - 1) != ' ') {
      return false;
    }
    int w = d - 1;
    while (w > 0 && w > d - 11 && Character.isLetter(t.charAt(w - 1))) {
      w--; // at most ten letters back: a scan stays linear
    }
    return w < d - 1 && (w == 0 || !Character.isLetterOrDigit(t.charAt(w - 1))) && MONTHS.contains(t, w, d - 1);
  }

  private static final WordTable MONTHS = WordTable.of(List.of("january", "february", "march", "april", "may",
      "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
      "jul", "aug", "sep", "sept", "oct", "nov", "dec"));

  private static boolean unitAfter(String t, int from) {
    int i = from;
    while (i < t.length() && t.charAt(i) == ' ' && i - from < 2) {
      i++;
    }
    int e = i;
    while (e < t.length() && Character.isLetter(t.charAt(e))) {
      e++;
    }
    return e > i && UNITS.contains(t, i, e);
  }

  private static boolean timeCueBefore(ScanText text, int s) {
    char b = text.charAt(s - 1);
    char b2 = text.charAt(s - 2);
    if (b == '@' || b2 == '@' || b == '~' || b2 == '~') {
      return true;
    }
    return text.distanceFromCue(s, 14, TIME_CUES) >= 0 && text.distanceFromCue(s, 14, TIME_CUES) <= 2;
  }

  /** "1900-2100", "2000 to 0400": a span of clock times. */
  private static boolean rangeAround(String t, int s, int end) {
    int i = end;
    while (i < t.length() && (t.charAt(i) == ' ' || t.charAt(i) == '-' || t.charAt(i) == '>') && i - end < 4) {
      i++;
    }
    if (i + 4 <= t.length() && i > end && allDigits(t, i, i + 4)) {
      return true;
    }
    int j = s - 1;
    while (j >= 0 && (t.charAt(j) == ' ' || t.charAt(j) == '-')) {
      j--;
    }
    return j >= 3 && j < s - 1 && allDigits(t, j - 3, j + 1);
  }

  private static boolean allDigits(String t, int from, int to) {
    for (int k = from; k < to; k++) {
      if (!Character.isDigit(t.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  /** s starts a line or follows ". ", "; " or ": ". */
  private static boolean sentenceStart(String t, int s) {
    if (s == 0 || t.charAt(s - 1) == '\n') {
      return true;
    }
    if (s < 2 || t.charAt(s - 1) != ' ') {
      return false;
    }
    char c = t.charAt(s - 2);
    return c == '.' || c == ';' || c == ':' || c == '\n';
  }

  private static boolean previousWordIs(String t, int s, String lower) {
    int w = previousWordStart(t, s);
    return w >= 0 && wordEnd(t, w) - w == lower.length() && t.regionMatches(true, w, lower, 0, lower.length());
  }

  private static int previousWordStart(String t, int s) {
    int i = s - 1;
    while (i >= 0 && (t.charAt(i) == ' ' || t.charAt(i) == ',')) {
      i--;
    }
    int e = i + 1;
    while (i >= 0 && (Character.isLetterOrDigit(t.charAt(i)))) {
      i--;
    }
    return e > i + 1 ? i + 1 : -1;
  }

  private static int wordEnd(String t, int w) {
    int e = w;
    while (e < t.length() && Character.isLetterOrDigit(t.charAt(e))) {
      e++;
    }
    return e;
  }
}
