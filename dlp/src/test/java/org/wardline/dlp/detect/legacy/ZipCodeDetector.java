package org.wardline.dlp.detect.legacy;

import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;

import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * US ZIP codes where context says so: after a state name or code ("IL 62704", "Texas 75001"), after a
 * "zip" cue, or in ZIP+4 form. Bare five-digit numbers are too common in clinical text to report.
 */
public final class ZipCodeDetector implements PhiDetector {

  private static final Set<String> STATES = Set.of(("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA"
      + " MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI").split(" "));
  private static final Set<String> STATE_NAMES = Set.of("alabama", "alaska", "arizona", "arkansas", "california",
      "colorado", "connecticut", "delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa",
      "kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota",
      "mississippi", "missouri", "montana", "nebraska", "nevada", "hampshire", "jersey", "mexico", "york",
      "carolina", "dakota", "ohio", "oklahoma", "oregon", "pennsylvania", "island", "tennessee", "texas", "utah",
      "vermont", "virginia", "washington", "wisconsin", "wyoming", "rico");
  private static final Pattern ZIP = Pattern.compile("(?<![\\d-])\\d{5}(-\\d{4})?(?![\\d-])");
  private static final String[] CUES = {"zip", "zip code", "zipcode", "postal code"};

  @Override
  public String name() {
    return "zip-code";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.ZIP_CODE;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    String t = text.text();
    text.matchAtDigitRuns((s, n) -> n == 5, ZIP, m -> {
      if (text.precededBy(m.start(), 14, CUES)) {
        out.accept(finding(m.start(), m.end(), 0.95));
      } else if (afterState(t, m.start())) {
        out.accept(finding(m.start(), m.end(), 0.9));
      } else if (m.group(1) != null) {
        out.accept(finding(m.start(), m.end(), 0.7));
      }
    });
  }

  /** The word before {@code pos}, skipping "., " and at most two spaces, is a state code or state name. */
  private static boolean afterState(String t, int pos) {
    int e = pos;
    int spaces = 0;
    while (e > 0 && (t.charAt(e - 1) == ' ' || t.charAt(e - 1) == ',' || t.charAt(e - 1) == '.')) {
      if (t.charAt(e - 1) == ' ' && ++spaces > 2) {
        return false;
      }
      e--;
    }
    if (e == pos) {
      return false;
    }
    int s = e;
    while (s > 0 && Character.isLetter(t.charAt(s - 1))) {
      s--;
    }
    if (s > 0 && Character.isLetterOrDigit(t.charAt(s - 1)) || e - s < 2) {
      return false;
    }
    String word = t.substring(s, e);
    if (word.length() == 2) {
      return STATES.contains(word) || STATES.contains(word.toUpperCase(Locale.ROOT)) && Character.isUpperCase(word.charAt(0));
    }
    return STATE_NAMES.contains(word.toLowerCase(Locale.ROOT));
  }
}
