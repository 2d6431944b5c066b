package org.wardline.dlp.detect;

/**
 * "W/U BY KVMC", "transferred to ummc": an abbreviation of three to six letters that ends in "MC" (medical
 * center), written in one case and not an everyday or clinical word, names a hospital wherever it stands.
 */
final class HospitalAbbreviationRule {

  private HospitalAbbreviationRule() {
  }

  /** Two char tests for most words; the lexicon flags only for a word that ends in "mc". */
  static boolean shaped(String t, LexTokens tk, int i) {
    int n = tk.length(i);
    int e = tk.ends[i];
    return n >= 3 && n <= 6 && (t.charAt(e - 1) | 32) == 'c' && (t.charAt(e - 2) | 32) == 'm';
  }

  static void at(String t, LexTokens tk, int i, LocationFindings found) {
    if (found.taken[i] || !LocationDetector.oddWord(tk, i)
        || (tk.flags[i] & (ClinicalLexicon.FIRST | ClinicalLexicon.LAST | ClinicalLexicon.PLACE)) != 0
        || !(tk.allCaps(t, i) || !tk.capitalized(t, i) && allLower(t, tk, i))) {
      return;
    }
    found.add(t, tk, i, i, 0.75);
  }

  private static boolean allLower(String t, LexTokens tk, int i) {
    for (int k = tk.starts[i]; k < tk.ends[i]; k++) {
      if (Character.isUpperCase(t.charAt(k))) {
        return false;
      }
    }
    return true;
  }
}
