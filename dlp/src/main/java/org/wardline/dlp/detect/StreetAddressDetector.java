package org.wardline.dlp.detect;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Street addresses: a house number, up to four name words and a USPS street suffix ("123 N Oak St",
 * "4500 MARTIN LUTHER KING JR BLVD APT 4B"), and post-office boxes. A city and state right after the
 * street belong to the finding; city names elsewhere are not detected.
 */
public final class StreetAddressDetector implements PhiDetector {

  /** USPS Publication 28 street suffixes, full and common abbreviations, longest first. */
  private static final String SUFFIX =
      "(?:expressway|extensions|throughway|trafficway|boulevard|crossroad|extension|junctions|mountains|"
          + "stravenue|underpass|causeway|crescent|crossing|junction|motorway|mountain|overpass|parkways|"
          + "turnpike|villages|centers|circles|commons|corners|estates|freeway|gardens|gateway|harbors|heights|"
          + "highway|islands|landing|meadows|mission|orchard|parkway|passage|prairie|springs|squares|station|"
          + "streets|terrace|trailer|valleys|viaduct|village|arcade|avenue|bluffs|bottom|branch|bridge|brooks|"
          + "bypass|canyon|center|circle|cliffs|common|corner|course|courts|divide|drives|estate|fields|forest|"
          + "forges|garden|greens|groves|harbor|hollow|island|knolls|lights|manors|meadow|plains|points|radial|"
          + "rapids|ridges|shoals|shores|skyway|spring|square|stream|street|summit|tunnel|unions|valley|alley|"
          + "annex|bayou|beach|bluff|brook|burgs|cliff|court|coves|creek|crest|curve|drive|falls|ferry|field|"
          + "flats|fords|forge|forks|glens|green|grove|haven|hills|inlet|knoll|lakes|light|locks|lodge|manor|"
          + "mills|mount|parks|pines|place|plain|plaza|point|ports|ranch|rapid|ridge|river|roads|route|shoal|"
          + "shore|spurs|trace|track|trail|union|views|ville|vista|walks|wells|anex|bend|blvd|burg|camp|cape|"
          + "club|cove|cres|dale|expy|fall|flat|ford|fork|fort|glen|hill|isle|keys|lake|land|lane|loaf|lock|"
          + "loop|mall|mews|mill|neck|oval|park|pass|path|pike|pine|pkwy|port|ramp|rest|road|spur|view|walk|"
          + "wall|ways|well|xing|ave|cir|crk|ctr|dam|fwy|hts|hwy|jct|key|mnr|plz|rdg|row|rue|run|sta|ter|trl|"
          + "vlg|vly|way|av|ct|dr|ln|pk|pl|rd|sq|st)";
  private static final String UNIT = "(?:,? ?(?:apt|apartment|suite|ste|unit|rm|room|#|no\\.?)\\.? ?#? ?[A-Za-z0-9-]{1,6})?";
  private static final String STATE_CODES = "(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA"
      + "|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI)";
  /** ", Springfield, IL" after the street: the city is an identifier too, the state is kept with it. */
  private static final String CITY_STATE = "(?:,? (?:[A-Z][A-Za-z'-]+ ){0,2}[A-Z][A-Za-z'-]+, " + STATE_CODES + "\\b)?";
  /** House number and an optional direction, up to the first word of the street name. */
  private static final Pattern HEAD = Pattern.compile(
      "(?<![\\w/.-])\\d{1,6}[A-Za-z]?(?: (?:[NSEW]|north|south|east|west|ne|nw|se|sw)\\.?)? ",
      Pattern.CASE_INSENSITIVE);
  /** After the suffix: a trailing direction, a unit, and ", City, ST". */
  private static final Pattern TAIL = Pattern.compile(
      "\\.?(?: (?:[NSEW]|ne|nw|se|sw)\\b\\.?)?" + UNIT + CITY_STATE, Pattern.CASE_INSENSITIVE);

  private static final Pattern PO_BOX_NUMBER =
      Pattern.compile("(?<=\\bp\\.? ?o\\.? ?box )\\d{1,6}\\b", Pattern.CASE_INSENSITIVE);

  @Override
  public String name() {
    return "street-address";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.STREET_ADDRESS;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    String t = text.text();
    Matcher tail = text.matcher(TAIL);
    text.matchAtDigitRuns((s, n) -> n <= 6 && headShape(text, s, n) && suffixAhead(t, s + n), HEAD, m -> {
      int suffixEnd = streetNameEnd(t, m.end());
      if (suffixEnd < 0) {
        return;
      }
      tail.region(suffixEnd, Math.min(t.length(), suffixEnd + 120));
      int end = tail.lookingAt() ? tail.end() : suffixEnd;
      if (!looksLikeMeasurement(t, m.start(), end)) {
        out.accept(finding(m.start(), end, 0.93));
      }
    });
    text.matchAtDigitRuns((s, n) -> n <= 6 && s >= 4 && boxBefore(t, s), PO_BOX_NUMBER,
        m -> out.accept(finding(poBoxStart(text.text(), m.start()), m.end(), 0.9)));
  }

  /**
   * What {@link #HEAD} needs around a house number, checked without the regex: no word char, '/', '.' or
   * '-' before it ("CO2 24", "q8h"), and after it a space, or one ASCII letter and a space ("12B Oak St").
   */
  private static boolean headShape(ScanText text, int s, int n) {
    char before = text.charAt(s - 1);
    if (isAsciiLetterOrDigit(before) || before == '_' || before == '/' || before == '.' || before == '-') {
      return false;
    }
    char next = text.charAt(s + n);
    return next == ' ' || (isAsciiLetter(next) && text.charAt(s + n + 1) == ' ');
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return isAsciiLetter(c) || (c >= '0' && c <= '9');
  }

  private static final WordTable SUFFIX_WORDS =
      WordTable.of(java.util.List.of(SUFFIX.substring(3, SUFFIX.length() - 1).split("\\|")));

  /**
   * End of the street suffix when one to four name words follow {@code from} and then a suffix ("Oak Ridge
   * Road": the last suffix within reach wins, as in "12 Oak Ridge Road"); -1 if there is none.
   */
  private static int streetNameEnd(String t, int from) {
    int best = -1;
    int i = from;
    for (int k = 0; k <= 4 && i < t.length(); k++) {
      int s = i;
      if (Character.isLetter(t.charAt(i))) {
        while (i < t.length() && (Character.isLetter(t.charAt(i)) || t.charAt(i) == '\'' || t.charAt(i) == '-')) {
          i++;
        }
      } else {
        while (i < t.length() && Character.isDigit(t.charAt(i)) && i - s < 3) {
          i++;
        }
        if (i == s || i + 2 > t.length() || !isOrdinal(t, i)) {
          break;
        }
        i += 2;
      }
      if (k >= 1 && SUFFIX_WORDS.contains(t, s, i)) {
        best = i;
      }
      if (i >= t.length() || t.charAt(i) != ' ') {
        break;
      }
      i++;
    }
    return best;
  }

  private static boolean isOrdinal(String t, int i) {
    String o = t.substring(i, i + 2).toLowerCase(java.util.Locale.ROOT);
    return o.equals("st") || o.equals("nd") || o.equals("rd") || o.equals("th");
  }

  /**
   * One of the next six words is a street suffix, with only spaces (or a dot after an abbreviation, or an
   * ordinal's digits) between them: a cheap test before the regex.
   */
  private static boolean suffixAhead(String t, int from) {
    int i = from;
    for (int words = 0; words < 6 && i < t.length(); words++) {
      while (i < t.length() && !Character.isLetter(t.charAt(i))) {
        char c = t.charAt(i);
        if ((c != ' ' && c != '.' && c != '\'' && c != '-' && (c < '0' || c > '9')) || i - from > 80) {
          return false;
        }
        i++;
      }
      int s = i;
      while (i < t.length() && Character.isLetter(t.charAt(i))) {
        i++;
      }
      if (i > s && SUFFIX_WORDS.contains(t, s, i)) {
        return true;
      }
    }
    return false;
  }

  /**
   * "box " ends at {@code s}, in any case. The "x" is tested first: only "x", "X" or a non-ASCII char (which the
   * case-insensitive compare may still fold) can be one, and most numbers have a plain space before them.
   */
  private static boolean boxBefore(String t, int s) {
    char x = t.charAt(s - 2);
    return (x == 'x' || x == 'X' || x >= 128) && t.regionMatches(true, s - 4, "box ", 0, 4);
  }

  /** Back from the box number to the "P" of "PO Box". */
  private static int poBoxStart(String t, int numberStart) {
    int i = numberStart - 4;
    while (i > 0 && Character.toLowerCase(t.charAt(i)) != 'p') {
      i--;
    }
    return Math.max(0, i);
  }

  /** "20 mg in 100 ml NS over 30 min ... drip" style false starts: a unit right after the number. */
  private static boolean looksLikeMeasurement(String t, int start, int end) {
    int i = start;
    while (i < end && Character.isDigit(t.charAt(i))) {
      i++;
    }
    int wordEnd = i + 1;
    while (wordEnd < end && Character.isLetter(t.charAt(wordEnd))) {
      wordEnd++;
    }
    String next = t.substring(Math.min(i + 1, end), wordEnd).toLowerCase(java.util.Locale.ROOT);
    return switch (next) {
      case "mg", "ml", "mcg", "g", "kg", "lb", "lbs", "units", "unit", "min", "mins", "minutes", "hours", "hrs", "hr",
          "days", "weeks", "cc", "l", "meq", "mmol", "times", "x", "am", "pm", "percent", "pct", "degrees", "feet", "ft",
          "steps", "yards", "miles", "mph", "year", "years", "yo", "months", "tabs", "tablets", "pills", "puffs",
          "drops", "episodes", "beats", "ounces", "oz", "inches", "in", "cm", "mm", "of", "to", "and", "or", "for", "on",
          "at", "by", "with", "pt", "pts", "patients", "rooms", "beds" -> true;
      default -> false;
    };
  }
}
