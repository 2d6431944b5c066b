package org.wardline.dlp.detect;

import java.util.function.Consumer;

/**
 * Names the way clinicians write them, in any case: after a title ("dr healey", "DR. L. RUUSKA"), a relation
 * ("daughter helen", "HUSBAND-MILOVAN") or a contact verb ("spoke with Radu"), before a credential ("irene
 * snell, rn"), a dictionary first name with the word after it ("mary souza"), and every later mention in the
 * note of a name found so. Clinical words, abbreviations and everyday English words are not names unless a
 * title or a first name stands before them.
 */
public final class CuedNameDetector implements PhiDetector {

  private static final int NEVER_NAME = ClinicalLexicon.FUNCTION | ClinicalLexicon.CLINICAL
      | ClinicalLexicon.NOT_A_NAME | ClinicalLexicon.WEEKDAY_OR_MONTH | ClinicalLexicon.TITLE
      | ClinicalLexicon.RELATION | ClinicalLexicon.INSTITUTION;
  private static final int NAME = ClinicalLexicon.FIRST | ClinicalLexicon.LAST;

  /** Credentials that are also anatomy ("PA catheter", "PA pressures"): they close a name, never open one. */
  private static final WordTable ANATOMY_TOO = WordTable.of(java.util.List.of("pa", "pa-c"));

  private static final WordTable PER = WordTable.of(java.util.List.of("per", "by"));
  private static final WordTable VISIT_VERBS = WordTable.of(java.util.List.of("visited", "phoned", "came"));

  /** What a clinician named by initial and surname did: "K MILLER AWARE", "J SMITH ORDERED". */
  private static final WordTable REPORT_VERBS = WordTable.of(java.util.List.of("aware", "notified", "ordered",
      "informed", "paged", "updated", "made", "called", "agrees", "wants", "requests", "recommends"));

  private final ClinicalLexicon lexicon;

  public CuedNameDetector(ClinicalLexicon lexicon) {
    this.lexicon = lexicon;
  }

  @Override
  public String name() {
    return "cued-name";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.PERSON_NAME;
  }

  @Override
  public void detect(ScanText scan, Consumer<Finding> out) {
    String t = scan.text();
    LexTokens tk = LexTokens.of(scan, lexicon);
    LearnedWords learned = new LearnedWords();
    boolean[] taken = new boolean[tk.count];
    for (int i = 0; i < tk.count; i++) {
      if (everydayWord(tk, i)) {
        continue; // what nameAt answers for most words, without the call
      }
      int end = nameAt(t, tk, i);
      while (end >= i) {
        emit(t, tk, i, end, 0.85, out, taken, learned);
        i = end;
        end = -1;
        int next = listedAfter(t, tk, i);
        if (next > 0) {
          i = next;
          end = extend(t, tk, next);
        }
      }
    }
    if (learned.isEmpty()) {
      return;
    }
    for (int i = 0; i < tk.count; i++) {
      if (!taken[i] && tk.length(i) >= 3 && (tk.flags[i] & NEVER_NAME) == 0
          && learned.contains(t, tk, i)) {
        out.accept(finding(tk.starts[i], tk.ends[i], 0.75));
      }
    }
  }

  private void emit(String t, LexTokens tk, int from, int to, double confidence, Consumer<Finding> out,
      boolean[] taken, LearnedWords learned) {
    out.accept(finding(tk.starts[from], tk.ends[to], confidence));
    for (int k = from; k <= to; k++) {
      taken[k] = true;
      if (tk.length(k) >= 3 && (tk.flags[k] & ClinicalLexicon.ENGLISH) == 0) {
        learned.add(t, tk.starts[k], tk.ends[k]);
      }
    }
  }

  /**
   * A word of two or more letters, not a first name, that is never a name or is an everyday word without a title
   * before it: no rule of {@link #nameAt} starts at it (the ones for initials need one letter, the one for a
   * relative's name a first name), so nameAt answers -1.
   */
  private static boolean everydayWord(LexTokens tk, int i) {
    int f = tk.flags[i];
    return tk.length(i) > 1 && (f & ClinicalLexicon.FIRST) == 0 && ((f & NEVER_NAME) != 0
        || (f & ClinicalLexicon.ENGLISH) != 0 && !tk.has(i - 1, ClinicalLexicon.TITLE));
  }

  /** Index of the last token of a name starting at token i, or -1. */
  private int nameAt(String t, LexTokens tk, int i) {
    int f = tk.flags[i];
    int prev = i - 1;
    if (plausibleInitial(t, tk, i) && tk.has(prev, ClinicalLexicon.TITLE) && titleGap(t, tk, prev, i)
        && i + 1 < tk.count && titleGap(t, tk, i, i + 1) && strictName(tk, i + 1)) {
      return extend(t, tk, i); // "DR. L. RUUSKA": an initial may look like a unit ("L")
    }
    if (tk.length(i) == 1 && (t.charAt(tk.starts[i]) | 32) == 'o' && tk.has(prev, ClinicalLexicon.TITLE)
        && titleGap(t, tk, prev, i) && i + 1 < tk.count && tk.spaced(t, i, i + 1, 1) && strictName(tk, i + 1)
        && tk.length(i + 1) >= 3) {
      return i + 1; // "Dr. o rourke": an O' name written apart
    }
    if (tk.length(i) == 1 && prev >= 0 && "aixAIX".indexOf(t.charAt(tk.starts[i])) < 0 && tk.spaced(t, prev, i, 1)
        && PER.contains(t, tk.starts[prev], tk.ends[prev]) && i + 1 < tk.count
        && (tk.spaced(t, i, i + 1, 1) || titleGap(t, tk, i, i + 1)) && tk.has(i + 1, ClinicalLexicon.LAST)
        && (tk.flags[i + 1] & NEVER_NAME) == 0 && tk.length(i + 1) >= 3) {
      return i + 1; // "per d ross", "BY J. SMITH": an initial and a surname after "per"
    }
    if (tk.length(i) == 1 && tk.allCaps(t, i) && "AIX".indexOf(t.charAt(tk.starts[i])) < 0 && i + 2 < tk.count
        && tk.spaced(t, i, i + 1, 1) && tk.spaced(t, i + 1, i + 2, 1) && tk.has(i + 1, ClinicalLexicon.LAST)
        && (tk.flags[i + 1] & NEVER_NAME) == 0 && tk.length(i + 1) >= 3
        && REPORT_VERBS.contains(t, tk.starts[i + 2], tk.ends[i + 2]) && sameCase(t, tk, i + 1, i + 2)) {
      return i + 1; // "J SMITH ORDERED", "K JONES AWARE": an initial without its dot
    }
    if (clinicalWordAsRelativesName(t, tk, i)) {
      return i; // "daughter pat lives close by": a first name that is also a clinical abbreviation
    }
    if (initialAfterTitle(t, tk, i)) {
      return i; // "mr K remained on same doses": the patient named by an initial
    }
    if ((f & NEVER_NAME) != 0 || !plausibleWord(t, tk, i)) {
      return -1;
    }
    if ((f & ClinicalLexicon.ENGLISH) != 0 && (f & ClinicalLexicon.FIRST) == 0 && !tk.has(prev, ClinicalLexicon.TITLE)) {
      return -1; // the common case: an everyday word with no title before it
    }
    if (prev >= 0 && tk.has(prev, ClinicalLexicon.TITLE) && titleGap(t, tk, prev, i)
        && (strictName(tk, i) || titleTakesAnyWord(t, tk, prev))) {
      return extend(t, tk, i);
    }
    boolean strict = strictName(tk, i);
    if ((strict || tk.has(i, ClinicalLexicon.FIRST)) && prev >= 0
        && (tk.has(prev, ClinicalLexicon.RELATION) || significantOther(t, tk, prev))
        && (tk.joined(t, prev, i) || parenthesised(t, tk, prev, i))) {
      return extend(t, tk, i);
    }
    if (strict && prev >= 0 && tk.has(prev, ClinicalLexicon.CREDENTIAL) && tk.spaced(t, prev, i, 1)
        && (tk.flags[i] & ClinicalLexicon.ENGLISH) == 0 && !ANATOMY_TOO.contains(t, tk.starts[prev], tk.ends[prev])) {
      return extend(t, tk, i); // "md wyman aware", "NP DJURIC MADE AWARE"
    }
    if (tk.length(i) == 1 && plausibleInitial(t, tk, i) && i + 1 < tk.count && titleGap(t, tk, i, i + 1)
        && strictName(tk, i + 1) && (tk.flags[i + 1] & ClinicalLexicon.ENGLISH) == 0 && tk.length(i + 1) >= 3
        && (tk.has(i - 1, ClinicalLexicon.FUNCTION | ClinicalLexicon.CONTACT_VERB | ClinicalLexicon.TITLE)
            || tk.has(i + 2, ClinicalLexicon.CREDENTIAL | ClinicalLexicon.NOT_A_NAME))) {
      return extend(t, tk, i); // "B. KARGAS", "per N. Ruth"
    }
    if (strict && (tk.flags[i] & ClinicalLexicon.ENGLISH) == 0 && tk.length(i) >= 3 && i + 1 < tk.count
        && tk.spaced(t, i, i + 1, 1) && "family".equalsIgnoreCase(t.substring(tk.starts[i + 1], tk.ends[i + 1]))
        && (tk.capitalized(t, i) || (tk.flags[i] & NAME) != 0)) {
      return i; // "the ROMERO FAMILY"
    }
    if (strict && prev >= 0 && (tk.capitalized(t, i) || (f & NAME) != 0) && contactBefore(t, tk, i)) {
      return extend(t, tk, i);
    }
    if (tk.has(i, ClinicalLexicon.FIRST) && (f & ClinicalLexicon.CREDENTIAL) == 0 && tk.length(i) >= 3
        && i + 1 < tk.count && tk.spaced(t, i, i + 1, 1) && VISIT_VERBS.contains(t, tk.starts[i + 1], tk.ends[i + 1])
        && (prev < 0 || !tk.has(prev, ClinicalLexicon.FUNCTION | ClinicalLexicon.TITLE))) {
      return i; // "social: bob visited", "Anna called": a first name doing what a visitor does
    }
    int credentialAt = credentialAfter(t, tk, i);
    if (credentialAt > i && (strict || credentialAt > i + 1 && tk.has(i, ClinicalLexicon.FIRST))) {
      return credentialAt - 1;
    }
    if ((f & ClinicalLexicon.FIRST) != 0 && (f & (ClinicalLexicon.ENGLISH | ClinicalLexicon.NAME_COMMON)) == 0
        && tk.length(i) >= 3) {
      int next = i + 1;
      if (next < tk.count && tk.spaced(t, i, next, 1) && strictName(tk, next)
          && (tk.flags[next] & NEVER_NAME) == 0 && sameCase(t, tk, i, next)) {
        int last = next + 1;
        boolean third = last < tk.count && tk.spaced(t, next, last, 1) && strictName(tk, last)
            && (tk.flags[last] & ClinicalLexicon.ENGLISH) == 0 && sameCase(t, tk, next, last);
        return third ? last : next; // "KAREN ANN YANULIS"
      }
    }
    return -1;
  }

  /**
   * "dr small", "mrs. Burns": after these titles even an everyday word is a surname; after "MS" without a dot
   * (also mental status) it is not.
   */
  private static boolean titleTakesAnyWord(String t, LexTokens tk, int title) {
    boolean ms = tk.length(title) == 2 && (t.charAt(tk.starts[title]) | 32) == 'm'
        && (t.charAt(tk.starts[title] + 1) | 32) == 's';
    return !ms || t.charAt(tk.ends[title]) == '.';
  }

  private static boolean sameCase(String t, LexTokens tk, int a, int b) {
    return tk.allCaps(t, a) == tk.allCaps(t, b) && tk.capitalized(t, a) == tk.capitalized(t, b);
  }

  /** The next name of a list after a name ending at token {@code last} ("Ferullo and Saeed", "Smokey, Morris"). */
  private static int listedAfter(String t, LexTokens tk, int last) {
    int j = last + 1;
    if (j >= tk.count) {
      return -1;
    }
    if ("and".equalsIgnoreCase(t.substring(tk.starts[j], tk.ends[j])) && tk.spaced(t, last, j, 1)) {
      j++;
      if (j >= tk.count || !tk.spaced(t, j - 1, j, 1)) {
        return -1;
      }
    } else if (!(tk.starts[j] - tk.ends[last] == 2 && t.charAt(tk.ends[last]) == ',')) {
      return -1;
    }
    boolean named = strictName(tk, j) && !tk.has(j, ClinicalLexicon.CREDENTIAL) && (tk.capitalized(t, j) || tk.has(j, NAME))
        && ((tk.flags[j] & ClinicalLexicon.ENGLISH) == 0 || tk.has(j, ClinicalLexicon.FIRST));
    return named ? j : -1;
  }

  /** Not an everyday word, or a dictionary name; and not a clinical word. */
  private static boolean strictName(LexTokens tk, int i) {
    int f = tk.flags[i];
    return (f & NEVER_NAME) == 0 && tk.length(i) >= 2
        && ((f & ClinicalLexicon.ENGLISH) == 0 || ((f & ClinicalLexicon.FIRST) != 0 && (f & ClinicalLexicon.NAME_COMMON) == 0));
  }

  /** What a relative does right after being named: "daughter pat lives nearby", "son al visited". */
  private static final WordTable RELATIVE_DOES = WordTable.of(java.util.List.of("lives", "visited", "came",
      "called", "phoned", "updated", "aware", "here", "present", "will", "is", "was", "and"));
  private static final WordTable MISTER = WordTable.of(java.util.List.of("mr", "mrs", "ms"));

  private static boolean clinicalWordAsRelativesName(String t, LexTokens tk, int i) {
    int f = tk.flags[i];
    return i > 0 && i + 1 < tk.count && tk.length(i) >= 3 && (f & ClinicalLexicon.FIRST) != 0
        && (f & ClinicalLexicon.CLINICAL) != 0 && (f & (ClinicalLexicon.FUNCTION | ClinicalLexicon.TITLE
        | ClinicalLexicon.RELATION | ClinicalLexicon.WEEKDAY_OR_MONTH | ClinicalLexicon.NOT_A_NAME)) == 0
        && tk.has(i - 1, ClinicalLexicon.RELATION) && tk.spaced(t, i - 1, i, 1) && tk.spaced(t, i, i + 1, 1)
        && !tk.capitalized(t, i) && RELATIVE_DOES.contains(t, tk.starts[i + 1], tk.ends[i + 1]);
  }

  /** "mr K remained", "Mrs. J is": one capital letter right after mr/mrs/ms and before a lower-case word. */
  private static boolean initialAfterTitle(String t, LexTokens tk, int i) {
    return i > 0 && i + 1 < tk.count && tk.length(i) == 1 && tk.capitalized(t, i)
        && MISTER.contains(t, tk.starts[i - 1], tk.ends[i - 1]) && titleGap(t, tk, i - 1, i)
        && tk.spaced(t, i, i + 1, 1) && !tk.capitalized(t, i + 1) && tk.length(i + 1) >= 2;
  }

  private static boolean plausibleWord(String t, LexTokens tk, int i) {
    if (tk.length(i) == 1) {
      // an initial: "DR. L. RUUSKA"
      return tk.capitalized(t, i) && tk.ends[i] < t.length() && t.charAt(tk.ends[i]) == '.';
    }
    return true;
  }

  private static boolean titleGap(String t, LexTokens tk, int title, int name) {
    int gap = tk.starts[name] - tk.ends[title];
    if (gap == 1) {
      char c = t.charAt(tk.ends[title]);
      return c == ' ' || c == '.';
    }
    return gap == 2 && t.charAt(tk.ends[title]) == '.' && t.charAt(tk.ends[title] + 1) == ' ';
  }

  /** "significant other X". */
  private static boolean significantOther(String t, LexTokens tk, int j) {
    return j >= 1 && tk.length(j) == 5 && t.regionMatches(true, tk.starts[j], "other", 0, 5)
        && tk.length(j - 1) == 11 && t.regionMatches(true, tk.starts[j - 1], "significant", 0, 11)
        && tk.spaced(t, j - 1, j, 1);
  }

  /** "lawyer (X)", "DAUGHTER (X)". */
  private static boolean parenthesised(String t, LexTokens tk, int a, int b) {
    int gap = tk.starts[b] - tk.ends[a];
    return (gap == 2 && t.charAt(tk.ends[a]) == ' ' && t.charAt(tk.ends[a] + 1) == '(')
        || (gap == 1 && t.charAt(tk.ends[a]) == '(');
  }

  /** "spoke with X", "called X", "talked to X", "per X". */
  private static boolean contactBefore(String t, LexTokens tk, int i) {
    int p = i - 1;
    if (!tk.spaced(t, p, i, 1) && !tk.joined(t, p, i)) {
      return false;
    }
    if (tk.has(p, ClinicalLexicon.CONTACT_VERB)) {
      return true;
    }
    if (p >= 1 && tk.has(p - 1, ClinicalLexicon.CONTACT_VERB) && tk.length(p) <= 4
        && (tk.flags[p] & ClinicalLexicon.FUNCTION) != 0) {
      return true;
    }
    // "spoke at length with X" is not written; "spoken extensively with X" is
    if (p >= 2 && tk.has(p - 2, ClinicalLexicon.CONTACT_VERB) && tk.length(p) <= 4
        && (tk.flags[p] & ClinicalLexicon.FUNCTION) != 0 && tk.spaced(t, p - 2, p - 1, 1) && tk.spaced(t, p - 1, p, 1)
        && tk.length(p - 1) >= 5 && t.regionMatches(true, tk.ends[p - 1] - 2, "ly", 0, 2)) {
      return true;
    }
    return false;
  }

  /** The credential token right after a run of names starting at i ("snell, rn"), or -1. */
  private static int credentialAfter(String t, LexTokens tk, int i) {
    int j = i;
    for (int n = 0; n < 4 && j + 1 < tk.count; n++) {
      int next = j + 1;
      if (!tk.joined(t, j, next)) {
        return -1;
      }
      if (tk.has(next, ClinicalLexicon.CREDENTIAL)
          && (credentialEnds(t, tk, next) || n >= 1 && tk.has(i - 1, ClinicalLexicon.FUNCTION)
              && tk.spaced(t, i - 1, i, 1) && sameCase(t, tk, i, next - 1))) {
        return next; // "snell, rn" at a line's end; "per WARREN KAVALIUNAS NP" anywhere
      }
      // "Dorothy Joy, MSW": inside a name run closed by a credential, a dictionary name that is also a word
      boolean nameWord = n == 0 && tk.has(next, NAME) && tk.capitalized(t, next) && (tk.flags[next] & NEVER_NAME) == 0;
      if (!(strictName(tk, next) || plausibleInitial(t, tk, next) || nameWord)) {
        return -1;
      }
      j = next;
    }
    return -1;
  }

  private static boolean plausibleInitial(String t, LexTokens tk, int i) {
    return tk.length(i) == 1 && tk.capitalized(t, i) && tk.ends[i] < t.length() && t.charAt(tk.ends[i]) == '.';
  }

  /** A credential closes a signature (the end of the line follows) or a report ("NP aware"). */
  private static boolean credentialEnds(String t, LexTokens tk, int c) {
    int k = tk.ends[c];
    while (k < t.length() && (t.charAt(k) == ' ' || t.charAt(k) == '.' || t.charAt(k) == ',')) {
      k++;
    }
    if (k >= t.length() || t.charAt(k) == '\n' || t.charAt(k) == '\r' || t.charAt(k) == ')') {
      return true;
    }
    int next = c + 1;
    return next < tk.count && tk.starts[next] == k && tk.has(next, ClinicalLexicon.NOT_A_NAME | ClinicalLexicon.CONTACT_VERB);
  }

  /** The last token of the name starting at i: more names or initials right after it, at most four. */
  private static int extend(String t, LexTokens tk, int i) {
    int end = i;
    while (end + 1 < tk.count && end - i < 3) {
      int j = end + 1;
      boolean gapOk = tk.spaced(t, end, j, 1) || (tk.length(end) == 1 && titleGap(t, tk, end, j))
          || (t.charAt(tk.ends[end]) == '-' && tk.starts[j] == tk.ends[end] + 1);
      if (!gapOk || !(strictName(tk, j) || plausibleInitial(t, tk, j))
          || tk.has(j, ClinicalLexicon.CREDENTIAL) && tk.allCaps(t, j) && tk.length(j) <= 3) {
        break;
      }
      end = j;
    }
    while (end > i && tk.length(end) == 1) {
      end--;
    }
    return end;
  }
}
