package org.wardline.dlp.detect.legacy;

import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Person names, from dictionary first and last names plus cues: titles (Dr., Mr., Mrs., Ms.) and relations
 * (pt, patient, husband, wife, son, daughter ...). Works on mixed-case and ALL-CAPS text; in ALL-CAPS text
 * a lone short dictionary word needs a cue, since abbreviations collide with names (ED, AL, DON). Titles
 * are not part of the finding.
 */
public final class PersonNameDetector implements PhiDetector {

  private static final int TITLE = 1;
  private static final int RELATION = 2;
  /** Relations that are also ordinary words ("by", "per"): they only confirm a dictionary name. */
  private static final int WEAK = 4;
  /** Credentials written after a name ("Lowe MD", "Kim RN"). */
  private static final int CREDENTIAL = 8;
  private static final WordTable CUES = cues();

  private static WordTable cues() {
    java.util.Map<String, Integer> m = new java.util.HashMap<>();
    for (String w : List.of("dr", "mr", "mrs", "ms", "miss", "mx", "prof", "doctor")) {
      m.merge(w, TITLE, (a, b) -> a | b);
    }
    for (String w : List.of("pt", "patient", "husband", "wife", "daughter", "son", "mother", "father", "mom", "dad",
        "brother", "sister", "spouse", "partner", "niece", "nephew", "grandson", "granddaughter", "grandmother",
        "grandfather", "aunt", "uncle", "caregiver", "friend", "neighbor", "guardian", "poa", "rn", "np", "lpn", "cna",
        "nurse", "attending", "resident", "pcp", "physician", "surgeon", "provider", "boyfriend", "girlfriend",
        "fiance", "stepson", "stepdaughter", "roommate", "cousin", "dtr", "hus", "bro", "sis")) {
      m.merge(w, RELATION, (a, b) -> a | b);
    }
    for (String w : List.of("by", "per", "name", "contact", "named")) {
      m.merge(w, WEAK, (a, b) -> a | b);
    }
    for (String w : List.of("md", "rn", "np", "lpn", "cna", "aprn", "dnp", "crna", "pharmd", "rph", "dds", "phd",
        "facs")) {
      m.merge(w, CREDENTIAL, (a, b) -> a | b);
    }
    return new WordTable(m);
  }

  private final NameDictionary dictionary;

  public PersonNameDetector(NameDictionary dictionary) {
    this.dictionary = dictionary;
  }

  @Override
  public String name() {
    return "person-name";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.PERSON_NAME;
  }

  @Override
  public void detect(ScanText scan, Consumer<Finding> out) {
    Tokens tk = Tokens.of(scan.text());
    String t = scan.text();
    int i = 0;
    while (i < tk.count) {
      int consumed = tryNameAt(t, tk, i, out);
      i += Math.max(1, consumed);
    }
  }

  /** Reports a name starting at token {@code i} if there is one; returns how many tokens it covered. */
  private int tryNameAt(String t, Tokens tk, int i, Consumer<Finding> out) {
    if (!tk.capitalized(t, i) || tk.length(i) < 2) {
      return 1;
    }
    int s = tk.start(i);
    int e = tk.nameEnd(t, i);
    int flags = dictionary.flags(t, s, e);
    boolean first = (flags & NameDictionary.FIRST) != 0;
    boolean last = (flags & NameDictionary.LAST) != 0;
    int prevCue = i > 0 && tk.adjacent(t, i - 1, i, true) ? CUES.flags(t, tk.start(i - 1), tk.nameEnd(t, i - 1)) : 0;
    if (!first && !last && (prevCue & (TITLE | RELATION)) == 0 && !credentialWithin(t, tk, i, 2)) {
      return 1; // the common case: not a dictionary name and no cue around it
    }
    if ((CUES.flags(t, s, e) & (TITLE | RELATION)) != 0) {
      return 1;
    }
    boolean common = (flags & NameDictionary.COMMON) != 0;
    boolean caps = tk.capsContext(t, i);
    boolean afterStop = s >= 2 && t.charAt(s - 2) == '.';
    boolean title = (prevCue & TITLE) != 0;
    boolean weakRelation = (prevCue & WEAK) != 0;
    boolean relation = (prevCue & RELATION) != 0 && !weakRelation && !afterStop;
    boolean known = (first || last) && !common;

    int end = extend(t, tk, i, first && !common, caps);
    int tokens = end - i + 1;
    boolean credential = end + 1 < tk.count && tk.adjacent(t, end, end + 1, true) && tk.allCaps(t, end + 1)
        && (CUES.flags(t, tk.start(end + 1), tk.nameEnd(t, end + 1)) & CREDENTIAL) != 0
        && !followedByNumber(t, tk.nameEnd(t, end + 1));
    double confidence;
    if (title || (credential && (first || last || !caps))) {
      confidence = 0.95;
    } else if (relation && (known || ((first || last) && !caps) || (!caps && !common))) {
      confidence = 0.9;
    } else if (known && tokens >= 2) {
      confidence = 0.9;
    } else if (known && weakRelation) {
      confidence = 0.8;
    } else if (tk.length(i) < 3) {
      return 1;
    } else if (known && first && (!caps || tk.length(i) >= 4)) {
      confidence = caps ? 0.65 : 0.75;
    } else if (known && (!caps || tk.length(i) >= 4)) {
      confidence = 0.6;
    } else if (!common && (first || last) && tokens >= 2) {
      confidence = 0.7;
    } else {
      return 1;
    }
    out.accept(finding(s, tk.nameEnd(t, end), confidence));
    return tokens;
  }

  /** One of the {@code n} tokens after token {@code i} is a credential ("Zhang Wei, MD"). */
  private static boolean credentialWithin(String t, Tokens tk, int i, int n) {
    for (int j = i + 1; j <= i + n && j < tk.count && tk.adjacent(t, j - 1, j, true); j++) {
      if (tk.length(j) <= 6 && (CUES.flags(t, tk.start(j), tk.nameEnd(t, j)) & CREDENTIAL) != 0 && tk.allCaps(t, j)) {
        return true;
      }
    }
    return false;
  }

  /** "Springfield, MD 21201": a state code, not a credential. */
  private static boolean followedByNumber(String t, int pos) {
    int i = pos;
    while (i < t.length() && (t.charAt(i) == ' ' || t.charAt(i) == ',')) {
      i++;
    }
    return i < t.length() && Character.isDigit(t.charAt(i));
  }

  /** Index of the last token of the name that starts at {@code i}. */
  private int extend(String t, Tokens tk, int i, boolean startsWithFirstName, boolean caps) {
    int end = i;
    boolean prevFirst = startsWithFirstName;
    while (end + 1 < tk.count && end - i < 3 && tk.adjacent(t, end, end + 1, false) && tk.capitalized(t, end + 1)) {
      int j = end + 1;
      int js = tk.start(j);
      int je = tk.nameEnd(t, j);
      if ((CUES.flags(t, js, je) & (TITLE | RELATION)) != 0) {
        break;
      }
      int flags = dictionary.flags(t, js, je);
      boolean common = (flags & NameDictionary.COMMON) != 0;
      boolean initial = tk.length(j) == 1 && j + 1 < tk.count && js + 1 < t.length() && t.charAt(js + 1) == '.';
      boolean name = (flags & (NameDictionary.FIRST | NameDictionary.LAST)) != 0
          && !(common && (flags & NameDictionary.LAST) == 0);
      boolean unknownSurname = prevFirst && !caps && !common && tk.length(j) >= 2;
      if (!(initial || name || unknownSurname)) {
        break;
      }
      prevFirst = initial && prevFirst;
      end = j;
    }
    // a trailing initial alone is not part of the name ("JOHN A. ... ")
    while (end > i && tk.length(end) == 1) {
      end--;
    }
    return end;
  }

  /** Word tokens: runs of letters, with inner apostrophes and hyphens (O'Brien, Mary-Jo). */
  private static final class Tokens {
    int[] starts = new int[256];
    int[] ends = new int[256];
    int count;

    static Tokens of(String t) {
      Tokens tk = new Tokens();
      int len = t.length();
      int i = 0;
      while (i < len) {
        char c = t.charAt(i);
        if (!isLetter(c)) {
          i++;
          continue;
        }
        int s = i;
        i++;
        while (i < len) {
          char d = t.charAt(i);
          if (isLetter(d)) {
            i++;
          } else if ((d == '\'' || d == '-') && i + 1 < len && isLetter(t.charAt(i + 1))) {
            i += 2;
          } else {
            break;
          }
        }
        tk.add(s, i);
      }
      return tk;
    }

    void add(int s, int e) {
      if (count == starts.length) {
        starts = Arrays.copyOf(starts, count * 2);
        ends = Arrays.copyOf(ends, count * 2);
      }
      starts[count] = s;
      ends[count] = e;
      count++;
    }

    int start(int i) {
      return starts[i];
    }

    int length(int i) {
      return ends[i] - starts[i];
    }

    /** End of the name part of token i, without a possessive "'s". */
    int nameEnd(String t, int i) {
      int e = ends[i];
      if (e - starts[i] > 3 && t.charAt(e - 2) == '\'' && (t.charAt(e - 1) == 's' || t.charAt(e - 1) == 'S')) {
        return e - 2;
      }
      return e;
    }

    boolean capitalized(String t, int i) {
      char c = t.charAt(starts[i]);
      return c < 128 ? c >= 'A' && c <= 'Z' : Character.isUpperCase(c);
    }

    boolean allCaps(String t, int i) {
      for (int k = starts[i]; k < ends[i]; k++) {
        char c = t.charAt(k);
        if (c < 128 ? c >= 'a' && c <= 'z' : Character.isLowerCase(c)) {
          return false;
        }
      }
      return true;
    }

    private static boolean isLetter(char c) {
      return c < 128 ? ((c | 32) >= 'a' && (c | 32) <= 'z') : Character.isLetter(c);
    }

    /** Token i sits in ALL-CAPS text: it and a neighbour of two or more letters are upper case. */
    boolean capsContext(String t, int i) {
      if (!allCaps(t, i)) {
        return false;
      }
      boolean prevCaps = i > 0 && length(i - 1) >= 2 && allCaps(t, i - 1);
      boolean nextCaps = i + 1 < count && length(i + 1) >= 2 && allCaps(t, i + 1);
      return prevCaps || nextCaps || length(i) <= 3;
    }

    /**
     * Tokens a and b are separated only by a space, or by ". " (title or initial); with {@code cue} also
     * ": " and ", " ("pt: John", "wife, Mary").
     */
    boolean adjacent(String t, int a, int b, boolean cue) {
      int gapStart = ends[a];
      int gapEnd = starts[b];
      int gap = gapEnd - gapStart;
      if (gap == 1) {
        return t.charAt(gapStart) == ' ';
      }
      if (gap == 2) {
        char c = t.charAt(gapStart);
        return t.charAt(gapStart + 1) == ' ' && (c == '.' || (cue && (c == ':' || c == ',')));
      }
      return false;
    }
  }
}
