package org.wardline.dlp.detect;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Street addresses: a house number, up to four name words and a USPS street suffix ("123 N Oak St",
 * "4500 MARTIN LUTHER KING JR BLVD APT 4B"), and post-office boxes. City names alone are not detected.
 */
public final class StreetAddressDetector implements PhiDetector {

  private static final String SUFFIX = "(?:street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct"
      + "|place|pl|way|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|trail|trl|square|sq|plaza|plz|alley|aly"
      + "|crossing|xing|loop|run|row|path|pike|point|pt|ridge|rdg|hollow|holw|crescent|cres|bend|walk|expressway"
      + "|expy|freeway|fwy|turnpike|tpke|route|rte|heights|hts|park|pk|glen|grove|grv|meadows?|mdw|harbor|hbr"
      + "|landing|lndg|pass|creek|crk|hills?|station|sta|view|vw|vista|vis|village|vlg|valley|vly|junction|jct"
      + "|mall|manor|mnr|center|ctr|commons?|cmn|estates?|est|gardens?|gdns|green|grn|club|clb|isle|island|knolls?"
      + "|lake|lakes|mews|mill|mills|mission|oval|pines|port|prairie|ranch|rapids|rest|shores?|spring|springs|spur"
      + "|summit|smt|track|trace|trce|union|ville|vl|way|wells|woods?|fork|forks|ford|fords|falls|ferry|fry|field"
      + "|fields|flat|flats|dale|dam|divide|cove|cv|corner|cor|corners|cors|cliffs?|camp|cmp|canyon|cyn|cape|cpe"
      + "|causeway|cswy|burg|burgs|brooks?|branch|br|bridge|brg|bluffs?|beach|bch|bayou|byu|arcade|anex|annex)";
  private static final String UNIT = "(?:,? ?(?:apt|apartment|suite|ste|unit|rm|room|#|no\\.?)\\.? ?#? ?[A-Za-z0-9-]{1,6})?";
  private static final Pattern STREET = Pattern.compile(
      "(?<![\\w/.-])\\d{1,6}[A-Za-z]?(?: (?:[NSEW]|north|south|east|west|ne|nw|se|sw)\\.?)?"
          + "(?: (?:[A-Za-z][A-Za-z'.-]*|\\d{1,3}(?:st|nd|rd|th))){1,4}? " + SUFFIX + "\\b\\.?"
          + "(?: (?:[NSEW]|ne|nw|se|sw)\\b\\.?)?" + UNIT,
      Pattern.CASE_INSENSITIVE);
  private static final Pattern PO_BOX = Pattern.compile(
      "\\bp\\.? ?o\\.? ?box \\d{1,6}\\b", Pattern.CASE_INSENSITIVE);

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
    int[] regions = text.digitRegions();
    text.findIn(regions, STREET, m -> {
      if (!looksLikeMeasurement(text.text(), m.start(), m.end())) {
        out.accept(finding(m.start(), m.end(), 0.85));
      }
    });
    text.findIn(regions, PO_BOX, m -> out.accept(finding(m.start(), m.end(), 0.9)));
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
