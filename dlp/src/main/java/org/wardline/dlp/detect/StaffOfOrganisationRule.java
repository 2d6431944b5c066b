package org.wardline.dlp.detect;

import java.util.List;

/**
 * "seen by GBX nurse", "until KMC attorneys can review": an unknown abbreviation right before the staff of an
 * organisation names the organisation. Clinical abbreviations ("ICU nurse", "PACU RN") are in the clinical
 * word list and do not count.
 */
final class StaffOfOrganisationRule implements LocationRule {

  private static final List<String> STAFF = List.of("nurse", "nurses", "attorney", "attorneys", "lawyer",
      "lawyers", "security", "police", "paramedics", "chaplain");
  private static final WordTable STAFF_TABLE = WordTable.of(STAFF);

  @Override
  public List<String> cueWords() {
    return STAFF;
  }

  @Override
  public void at(String t, LexTokens tk, int i, LocationFindings found) {
    int x = i - 1;
    if (x < 0 || found.taken[x] || !STAFF_TABLE.contains(t, tk.starts[i], tk.ends[i]) || !tk.spaced(t, x, i, 1)
        || tk.length(x) < 2 || tk.length(x) > 5 || !tk.allCaps(t, x) || !LocationDetector.oddWord(tk, x)
        || (tk.flags[x] & (ClinicalLexicon.FIRST | ClinicalLexicon.LAST)) != 0) {
      return;
    }
    found.add(t, tk, x, x, 0.7);
  }
}
