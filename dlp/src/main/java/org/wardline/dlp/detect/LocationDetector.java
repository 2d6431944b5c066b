package org.wardline.dlp.detect;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Hospitals, clinics, towns and cities in clinical writing: a name before a hospital word ("CALVERT
 * HOSPITAL", "kernan hosp", "Holy Cross Medical Center"), a US place from the GeoNames list ("lives in
 * catonsville", "San Diego"), a name after a transfer or residence cue ("transferred to quartermain", "ADM TO
 * GH"), and every later mention in the note of a hospital name found so.
 */
public final class LocationDetector implements PhiDetector {

  private static final int NEVER_PLACE = ClinicalLexicon.FUNCTION | ClinicalLexicon.CLINICAL
      | ClinicalLexicon.NOT_A_NAME | ClinicalLexicon.WEEKDAY_OR_MONTH | ClinicalLexicon.TITLE
      | ClinicalLexicon.RELATION | ClinicalLexicon.CREDENTIAL;
  /** Words before "to/from/in/at" that make the next name a place. */
  private static final WordTable MOVE_VERBS = WordTable.of(List.of("lives", "live", "living", "lived", "resides",
      "reside", "residing", "transferred", "transfered", "transfer", "trans", "xfer", "admitted", "adm", "taken",
      "went", "sent", "flighted", "flown", "returned", "discharged", "moved", "followed", "seen", "transported",
      "brought", "referred", "came", "arrived", "presented", "born", "raised", "works", "worked", "visiting",
      "transferring", "admission", "admit", "tx", "txf", "transf", "back", "d/c", "dc"));
  private static final WordTable WEAK_INSTITUTION = WordTable.of(List.of("medical", "center", "centre", "ctr",
      "nursing", "home", "memorial", "campus", "institute", "healthcare"));

  private final ClinicalLexicon lexicon;

  public LocationDetector(ClinicalLexicon lexicon) {
    this.lexicon = lexicon;
  }

  @Override
  public String name() {
    return "location";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.LOCATION;
  }

  @Override
  public void detect(ScanText scan, Consumer<Finding> out) {
    String t = scan.text();
    LexTokens tk = LexTokens.of(scan, lexicon);
    Set<String> learned = new HashSet<>();
    boolean[] taken = new boolean[tk.count];
    for (int i = 0; i < tk.count; i++) {
      int f = tk.flags[i];
      if ((f & ClinicalLexicon.INSTITUTION) != 0) {
        institution(t, tk, i, out, taken, learned);
      }
      if ((f & (ClinicalLexicon.PLACE | ClinicalLexicon.PLACE_START)) != 0 && !taken[i]) {
        place(t, tk, i, out, taken);
      }
      if ((f & ClinicalLexicon.PLACE_CUE) != 0 && i + 1 < tk.count) {
        cued(t, tk, i, out, taken, learned);
      }
    }
    if (learned.isEmpty()) {
      return;
    }
    for (int i = 0; i < tk.count; i++) {
      if (!taken[i] && (tk.flags[i] & NEVER_PLACE) == 0
          && learned.contains(t.substring(tk.starts[i], tk.ends[i]).toLowerCase(Locale.ROOT))) {
        out.accept(finding(tk.starts[i], tk.ends[i], 0.75));
      }
    }
  }

  private void institution(String t, LexTokens tk, int k, Consumer<Finding> out, boolean[] taken,
      Set<String> learned) {
    boolean weak = WEAK_INSTITUTION.contains(t, tk.starts[k], tk.ends[k]);
    if (weak && !(k > 0 && tk.has(k - 1, ClinicalLexicon.INSTITUTION) && tk.spaced(t, k - 1, k, 1))
        && !(k + 1 < tk.count && tk.has(k + 1, ClinicalLexicon.INSTITUTION) && tk.spaced(t, k, k + 1, 1))) {
      return; // "home", "center" alone are everyday words; "nursing home", "medical center" are not
    }
    int first = k;
    while (first > 0 && first > k - 4 && tk.spaced(t, first - 1, first, 1)
        && (tk.has(first - 1, ClinicalLexicon.INSTITUTION) || namePart(t, tk, first - 1))) {
      first--;
    }
    while (first < k && tk.has(first, ClinicalLexicon.INSTITUTION)) {
      first++;
    }
    if (first == k && k > 0 && "memorial".equalsIgnoreCase(t.substring(tk.starts[k - 1], tk.ends[k - 1]))
        && tk.spaced(t, k - 1, k, 1)) {
      first = k - 1; // "MEMORIAL HOSPITAL" is a name of its own
    }
    if (first == k) {
      return;
    }
    int end = k;
    while (end + 1 < tk.count && tk.has(end + 1, ClinicalLexicon.INSTITUTION) && tk.spaced(t, end, end + 1, 1)) {
      end++;
    }
    out.accept(finding(tk.starts[first], tk.ends[end], 0.85));
    for (int j = first; j <= end; j++) {
      taken[j] = true;
      if (j < k && tk.length(j) >= 2 && (tk.flags[j] & ClinicalLexicon.ENGLISH) == 0) {
        learned.add(t.substring(tk.starts[j], tk.ends[j]).toLowerCase(Locale.ROOT));
      }
    }
  }

  /** A word that can be part of a hospital's name: capitalised in mixed-case text, or not an everyday word. */
  private static boolean namePart(String t, LexTokens tk, int j) {
    int f = tk.flags[j];
    if ((f & NEVER_PLACE) != 0) {
      return false;
    }
    if ((f & ClinicalLexicon.ENGLISH) == 0) {
      return tk.length(j) >= 2 || tk.capitalized(t, j);
    }
    return tk.capitalized(t, j) && !tk.allCaps(t, j);
  }

  private void place(String t, LexTokens tk, int i, Consumer<Finding> out, boolean[] taken) {
    int f = tk.flags[i];
    if ((f & ClinicalLexicon.PLACE_START) != 0 && tk.has(i + 1, ClinicalLexicon.PLACE_NEXT)) {
      for (int n = 2; n >= 1; n--) {
        int last = i + n;
        if (last >= tk.count) {
          continue;
        }
        StringBuilder phrase = new StringBuilder(t.substring(tk.starts[i], tk.ends[i]));
        boolean ok = true;
        for (int j = i + 1; j <= last && ok; j++) {
          ok = tk.spaced(t, j - 1, j, 1) || (t.charAt(tk.ends[j - 1]) == '-' && tk.starts[j] == tk.ends[j - 1] + 1);
          phrase.append(' ').append(t, tk.starts[j], tk.ends[j]);
        }
        if (ok && lexicon.isMultiWordPlace(phrase.toString().toLowerCase(Locale.ROOT))) {
          out.accept(finding(tk.starts[i], tk.ends[last], 0.8));
          for (int j = i; j <= last; j++) {
            taken[j] = true;
          }
          return;
        }
      }
    }
    if ((f & ClinicalLexicon.PLACE) != 0 && (f & (NEVER_PLACE | ClinicalLexicon.ENGLISH)) == 0 && tk.length(i) >= 4) {
      out.accept(finding(tk.starts[i], tk.ends[i], 0.7));
      taken[i] = true;
    }
  }

  /** "TO GH EW", "at CMC ER": an unknown abbreviation between "to/at/from" and an emergency or ICU word. */
  private static void abbreviationBeforeDepartment(String t, LexTokens tk, int cue, Consumer<Finding> out,
      boolean[] taken, Set<String> learned) {
    int x = cue + 1;
    int dept = x + 1;
    if (dept >= tk.count || taken[x] || !tk.spaced(t, cue, x, 1) || !tk.spaced(t, x, dept, 1)
        || tk.length(x) < 2 || tk.length(x) > 5 || !tk.allCaps(t, x)
        || (tk.flags[x] & (NEVER_PLACE | ClinicalLexicon.ENGLISH)) != 0
        || !DEPARTMENTS.contains(t, tk.starts[dept], tk.ends[dept])) {
      return;
    }
    out.accept(new Finding(PhiCategory.LOCATION, tk.starts[x], tk.ends[x], "location", 0.75));
    taken[x] = true;
    learned.add(t.substring(tk.starts[x], tk.ends[x]).toLowerCase(Locale.ROOT));
  }

  private static final WordTable DEPARTMENTS = WordTable.of(List.of("er", "ew", "ed", "icu", "micu", "ccu",
      "sicu", "nicu", "picu", "cvicu", "ctu", "emergency"));

  /** "transferred to X", "lives in X", "ADM TO THE GH". */
  private void cued(String t, LexTokens tk, int cue, Consumer<Finding> out, boolean[] taken, Set<String> learned) {
    boolean afterVerb = cue > 0 && MOVE_VERBS.contains(t, tk.starts[cue - 1], tk.ends[cue - 1])
        && tk.spaced(t, cue - 1, cue, 2);
    if (!afterVerb) {
      abbreviationBeforeDepartment(t, tk, cue, out, taken, learned);
      return;
    }
    int x = cue + 1;
    if (x < tk.count && "the".equalsIgnoreCase(t.substring(tk.starts[x], tk.ends[x])) && tk.spaced(t, cue, x, 1)) {
      x++;
    }
    if (x >= tk.count || taken[x] || !tk.spaced(t, x - 1, x, 1)) {
      return;
    }
    int f = tk.flags[x];
    if ((f & NEVER_PLACE) != 0 || (f & ClinicalLexicon.INSTITUTION) != 0) {
      return;
    }
    boolean abbreviation = tk.length(x) >= 2 && tk.length(x) <= 4 && tk.allCaps(t, x);
    boolean unknown = (f & ClinicalLexicon.ENGLISH) == 0 && tk.length(x) >= 3;
    if (!(abbreviation || unknown) || (f & ClinicalLexicon.ENGLISH) != 0 && !abbreviation) {
      return;
    }
    if (abbreviation && (f & ClinicalLexicon.ENGLISH) != 0) {
      return;
    }
    out.accept(finding(tk.starts[x], tk.ends[x], 0.7));
    taken[x] = true;
    if (tk.length(x) >= 2) {
      learned.add(t.substring(tk.starts[x], tk.ends[x]).toLowerCase(Locale.ROOT));
    }
  }
}
