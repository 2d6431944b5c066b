package org.wardline.dlp.detect;

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
  /** Cue flags sit above the dictionary's flags in the one table both are looked up in. */
  private static final int CUE_SHIFT = 8;
  private static final java.util.Map<String, Integer> CUES = cues();

  private static java.util.Map<String, Integer> cues() {
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
    return java.util.Map.copyOf(m);
  }

  /** Dictionary flags in the low bits, cue flags shifted by {@link #CUE_SHIFT}: one lookup per word. */
  private final WordTable words;
  /** For the shared word pass ({@link LexTokens}) this detector's words are built from. */
  private final ClinicalLexicon lexicon;

  /** With the standard {@link ClinicalLexicon}, which loads the word lists: build one and keep it. */
  public PersonNameDetector(NameDictionary dictionary) {
    this(dictionary, ClinicalLexicon.standard(dictionary));
  }

  public PersonNameDetector(NameDictionary dictionary, ClinicalLexicon lexicon) {
    this.words = dictionary.mergedWith(CUES, CUE_SHIFT);
    this.lexicon = lexicon;
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
    String t = scan.text();
    Tokens tk = Tokens.of(t, LexTokens.of(scan, lexicon), words);
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
    int flags = tk.names(t, i);
    boolean first = (flags & NameDictionary.FIRST) != 0;
    boolean last = (flags & NameDictionary.LAST) != 0;
    int prevCue = i > 0 && tk.adjacent(t, i - 1, i, true) ? tk.cues(t, i - 1) : 0;
    if (!first && !last && (prevCue & (TITLE | RELATION)) == 0 && !credentialWithin(t, tk, i, 2)) {
      return 1; // the common case: not a dictionary name and no cue around it
    }
    if ((tk.cues(t, i) & (TITLE | RELATION)) != 0) {
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
        && (tk.cues(t, end + 1) & CREDENTIAL) != 0
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
      if (tk.length(j) <= 6 && (tk.cues(t, j) & CREDENTIAL) != 0 && tk.allCaps(t, j)) {
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
      if ((tk.cues(t, j) & (TITLE | RELATION)) != 0) {
        break;
      }
      int flags = tk.names(t, j);
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

  /**
   * Word tokens: runs of letters, with inner apostrophes and hyphens (O'Brien, Mary-Jo), and each token's
   * table flags, looked up the first time they are asked for. They are the shared word pass's tokens
   * ({@link LexTokens}) joined again where that pass splits a word at an apostrophe or hyphen, and a token
   * that was not joined keeps that pass's hash.
   */
  private static final class Tokens {
    /** Marks a looked-up entry of {@link #flags}, so that 0 means "not looked up yet". */
    private static final int LOOKED_UP = 1 << 30;
    int[] starts;
    int[] ends;
    /** The {@link LexTokens#asciiHashes} of the name part, or {@link LexTokens#NO_HASH} for a joined token. */
    long[] hashes;
    int count;
    private final WordTable table;
    private int[] flags;

    private Tokens(WordTable table, int capacity) {
      this.table = table;
      starts = new int[capacity];
      ends = new int[capacity];
      hashes = new long[capacity];
      flags = new int[capacity];
    }

    static Tokens of(String t, LexTokens lex, WordTable table) {
      Tokens tk = new Tokens(table, Math.max(1, lex.count));
      for (int k = 0; k < lex.count; k++) {
        int s = lex.starts[k];
        int e = wordEnd(t, lex, k);
        long h = lex.asciiHashes[k];
        while (k + 1 < lex.count && lex.starts[k + 1] == e + 1 && (t.charAt(e) == '\'' || t.charAt(e) == '-')) {
          k++;
          e = wordEnd(t, lex, k);
          h = LexTokens.NO_HASH;
        }
        tk.starts[tk.count] = s;
        tk.ends[tk.count] = e;
        tk.hashes[tk.count] = h;
        tk.count++;
      }
      return tk;
    }

    /**
     * End of shared token k with the possessive "'s" that pass leaves out: the "'s" follows it, and is not the
     * start of the next token (which an apostrophe the pass did not join would make it).
     */
    private static int wordEnd(String t, LexTokens lex, int k) {
      int e = lex.ends[k];
      boolean possessive = e + 1 < t.length() && t.charAt(e) == '\'' && (t.charAt(e + 1) | 32) == 's'
          && !(k + 1 < lex.count && lex.starts[k + 1] == e + 1);
      return possessive ? e + 2 : e;
    }

    /** Table flags of token i's name part (without a possessive "'s"). */
    private int lookup(String t, int i) {
      int f = flags[i];
      if (f == 0) {
        long h = hashes[i];
        f = (h != LexTokens.NO_HASH ? table.flags(t, starts[i], nameEnd(t, i), h)
            : table.flags(t, starts[i], nameEnd(t, i))) | LOOKED_UP;
        flags[i] = f;
      }
      return f;
    }

    /** {@link NameDictionary} flags of token i. */
    int names(String t, int i) {
      return lookup(t, i) & ((1 << CUE_SHIFT) - 1);
    }

    /** Cue flags (title, relation ...) of token i. */
    int cues(String t, int i) {
      return (lookup(t, i) & ~LOOKED_UP) >>> CUE_SHIFT;
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
