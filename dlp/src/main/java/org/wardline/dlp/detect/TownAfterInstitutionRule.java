package org.wardline.dlp.detect;

import java.util.List;

/**
 * "from the VA in Tolkston", "rehab in Easton": after a hospital word and "in", a capitalised word that is
 * neither everyday nor clinical names the town the hospital is in, with its second word ("Elmford Mill").
 */
final class TownAfterInstitutionRule implements LocationRule {

  private static final List<String> IN = List.of("in");

  @Override
  public List<String> cueWords() {
    return IN;
  }

  @Override
  public void at(String t, LexTokens tk, int i, LocationFindings found) {
    int x = i + 1;
    if (i < 1 || x >= tk.count || found.taken[x] || tk.length(i) != 2 || !t.regionMatches(true, tk.starts[i], "in", 0, 2)
        || !tk.has(i - 1, ClinicalLexicon.INSTITUTION) || !tk.spaced(t, i - 1, i, 1) || !tk.spaced(t, i, x, 1)
        || !tk.capitalized(t, x) || tk.allCaps(t, x) && tk.length(x) < 4 || tk.length(x) < 3
        || !LocationDetector.oddWord(tk, x) || (tk.flags[x] & ClinicalLexicon.INSTITUTION) != 0) {
      return;
    }
    found.add(t, tk, x, LocationDetector.townEnd(t, tk, x), 0.7);
  }
}
