package org.wardline.dlp.detect;

import java.util.List;

/**
 * "lives alone in little torvick, son nearby": after a residence verb and "in", two words that end a clause
 * and hold a word that is neither everyday nor clinical name a town, even where the first is an everyday word
 * or the second a slip of the keyboard. One unknown word alone is the single-word rule's.
 */
final class ResidenceTown {

  private static final WordTable RESIDES = WordTable.of(List.of("lives", "live", "living", "lived", "resides",
      "reside", "residing", "born", "raised", "moved"));
  private static final WordTable ALONE = WordTable.of(List.of("alone", "there", "now", "currently"));

  private ResidenceTown() {
  }

  /** Reports the two words after {@code cue} ("in") as one town and returns true, or returns false. */
  static boolean twoWords(String t, LexTokens tk, int cue, LocationFindings found) {
    if (cue < 1 || cue + 2 >= tk.count || tk.length(cue) != 2 || !t.regionMatches(true, tk.starts[cue], "in", 0, 2)) {
      return false;
    }
    int verb = cue - 1;
    if (ALONE.contains(t, tk.starts[verb], tk.ends[verb]) && verb > 0 && tk.spaced(t, verb - 1, verb, 1)) {
      verb--;
    }
    int a = cue + 1;
    int b = cue + 2;
    if (!RESIDES.contains(t, tk.starts[verb], tk.ends[verb]) || found.taken[a] || !tk.spaced(t, verb, verb + 1, 1)
        || !tk.spaced(t, cue, a, 1) || !tk.spaced(t, a, b, 1)) {
      return false;
    }
    int never = ClinicalLexicon.FUNCTION | ClinicalLexicon.CLINICAL | ClinicalLexicon.NOT_A_NAME
        | ClinicalLexicon.WEEKDAY_OR_MONTH | ClinicalLexicon.RELATION | ClinicalLexicon.INSTITUTION;
    if ((tk.flags[a] & never) != 0 || (tk.flags[b] & never) != 0 || tk.length(a) < 3 || tk.length(b) < 3
        || !(LocationDetector.oddWord(tk, a) || LocationDetector.oddWord(tk, b)) || !endsClause(t, tk.ends[b])) {
      return false;
    }
    found.add(t, tk, a, b, 0.7);
    return true;
  }

  private static boolean endsClause(String t, int p) {
    if (p >= t.length()) {
      return true;
    }
    char c = t.charAt(p);
    return c == ',' || c == '.' || c == ';' || c == '\n' || c == '\r' || c == ')';
  }
}
