package org.wardline.dlp.detect;

import java.util.List;
import java.util.Set;

/**
 * "U Maryland ER", "University of Vermont": a university (and its hospital) named by its state. A state
 * alone is not reported; with the university word it names one institution.
 */
final class UniversityOfStateRule implements LocationRule {

  private static final List<String> UNIVERSITY = List.of("u", "univ", "university");
  private static final WordTable UNIVERSITY_TABLE = WordTable.of(UNIVERSITY);
  private static final Set<String> STATES = Set.of("alabama", "alaska", "arizona", "arkansas", "california",
      "colorado", "connecticut", "delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa",
      "kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota",
      "mississippi", "missouri", "montana", "nebraska", "nevada", "new hampshire", "new jersey", "new mexico",
      "new york", "north carolina", "north dakota", "ohio", "oklahoma", "oregon", "pennsylvania", "rhode island",
      "south carolina", "south dakota", "tennessee", "texas", "utah", "vermont", "virginia", "washington",
      "west virginia", "wisconsin", "wyoming");

  @Override
  public List<String> cueWords() {
    return UNIVERSITY;
  }

  @Override
  public void at(String t, LexTokens tk, int i, LocationFindings found) {
    if (!tk.capitalized(t, i) || !UNIVERSITY_TABLE.contains(t, tk.starts[i], tk.ends[i])) {
      return;
    }
    int x = i + 1;
    if (x < tk.count && tk.length(x) == 2 && t.regionMatches(true, tk.starts[x], "of", 0, 2) && tk.spaced(t, i, x, 1)) {
      x++;
    }
    if (x >= tk.count || !tk.spaced(t, x - 1, x, 1) || !tk.capitalized(t, x)) {
      return;
    }
    String one = t.substring(tk.starts[x], tk.ends[x]).toLowerCase(java.util.Locale.ROOT);
    if (STATES.contains(one)) {
      found.add(t, tk, i, x, 0.75);
    } else if (x + 1 < tk.count && tk.spaced(t, x, x + 1, 1)
        && STATES.contains(one + " " + t.substring(tk.starts[x + 1], tk.ends[x + 1]).toLowerCase(java.util.Locale.ROOT))) {
      found.add(t, tk, i, x + 1, 0.75);
    }
  }
}
