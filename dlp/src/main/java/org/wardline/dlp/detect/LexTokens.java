package org.wardline.dlp.detect;

import java.util.Arrays;

/**
 * The words of a text (letters with inner apostrophes and hyphens: O'Brien, Mary-Jo) with their
 * {@link ClinicalLexicon} flags, computed once per text and shared by the detectors that read words.
 */
final class LexTokens {

  int[] starts;
  int[] ends;
  int[] flags;
  /**
   * Each token's {@link WordTable#hashOf} when all its chars are ASCII, else {@link #NO_HASH}; a reader that
   * looks the token up in another table or set uses it instead of hashing the word again.
   */
  long[] asciiHashes;
  int count;

  private LexTokens(int capacity) {
    starts = new int[capacity];
    ends = new int[capacity];
    flags = new int[capacity];
    asciiHashes = new long[capacity];
  }

  /** No hash kept (a non-ASCII token, or one whose hash is 0): the reader hashes the token itself. */
  static final long NO_HASH = 0;

  static LexTokens of(ScanText scan, ClinicalLexicon lexicon) {
    // about as many tokens as the pre-pass found words of ASCII letters: arrays of that size rarely grow
    return scan.memo(LexTokens.class, () -> build(scan.text(), lexicon, scan.wordBounds().length / 2 + 64));
  }

  /** Recent words by hash: running text repeats its words, and the text is in cache where the table is not. */
  private static final int CACHE = 1024;

  private static LexTokens build(String t, ClinicalLexicon lexicon, int capacity) {
    LexTokens tk = new LexTokens(capacity);
    long[] cacheHash = new long[CACHE];
    int[] cacheStart = new int[CACHE];
    int[] cacheLength = new int[CACHE];
    int[] cacheFlags = new int[CACHE];
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
      boolean hyphen = false;
      int seen = c;
      // the word's WordTable.hashOf, built as it is read; before an apostrophe or hyphen step, what it was
      long h = WordTable.hashStep(WordTable.HASH_START, c);
      long beforeStep = h;
      while (i < len) {
        char d = t.charAt(i);
        if (isLetter(d)) {
          h = WordTable.hashStep(h, d);
          seen |= d;
          i++;
        } else if ((d == '\'' || d == '-') && i + 1 < len && isLetter(t.charAt(i + 1)) && i - s < 40
            && !(d == '-' && (lexicon.flags(t, s, i) & ClinicalLexicon.RELATION) != 0)
            && !(d == '-' && patientAfter(t, i + 1, len))) {
          hyphen |= d == '-';
          beforeStep = h;
          h = WordTable.hashStep(WordTable.hashStep(h, d), t.charAt(i + 1));
          seen |= t.charAt(i + 1);
          i += 2;
        } else {
          break;
        }
      }
      int e = i;
      if (e - s > 3 && t.charAt(e - 2) == '\'' && (t.charAt(e - 1) | 32) == 's') {
        e -= 2; // possessive: the "'s" was the last step
        h = beforeStep;
      }
      int f = 0;
      if (e - s <= 40) {
        int slot = (int) (h ^ (h >>> 31)) & (CACHE - 1);
        int n = e - s;
        if (cacheHash[slot] == h && cacheLength[slot] == n && sameIgnoringAsciiCase(t, cacheStart[slot], s, n)) {
          f = cacheFlags[slot];
          cacheStart[slot] = s; // the latest copy of the word is the one still in the CPU cache
        } else {
          f = flagsOf(t, s, e, h, lexicon);
          cacheHash[slot] = h;
          cacheStart[slot] = s;
          cacheLength[slot] = n;
          cacheFlags[slot] = f;
        }
      }
      tk.add(s, e, hyphen ? f | ClinicalLexicon.HYPHENATED : f, seen < 128 ? h : NO_HASH);
    }
    return tk;
  }

  /** "-PT " or "-pt." after a word: the dash starts a new clause about the patient ("PER B. KARGAS-PT WET"). */
  private static boolean patientAfter(String t, int p, int len) {
    return p + 2 <= len && (t.charAt(p) | 32) == 'p' && (t.charAt(p + 1) | 32) == 't'
        && (p + 2 == len || !isLetter(t.charAt(p + 2)));
  }

  /** A hyphenated word with an everyday or clinical part ("DAUGHTER-DISCUSSED", "A-FIB") counts as everyday. */
  private static int flagsOf(String t, int s, int e, long hash, ClinicalLexicon lexicon) {
    int f = lexicon.flags(t, s, e, hash);
    if (f != 0) {
      return f;
    }
    int partStart = s;
    for (int k = s; k <= e; k++) {
      if (k == e || t.charAt(k) == '-') {
        if (partStart == s && k == e) {
          return 0;
        }
        int pf = lexicon.flags(t, partStart, k);
        if (k - partStart <= 1 || (pf & (ClinicalLexicon.ENGLISH | ClinicalLexicon.CLINICAL | ClinicalLexicon.RELATION
            | ClinicalLexicon.FUNCTION)) != 0) {
          return ClinicalLexicon.ENGLISH;
        }
        partStart = k + 1;
      }
    }
    return 0;
  }

  /** Same chars ignoring ASCII case; other chars must be equal (a miss only costs a table lookup). */
  private static boolean sameIgnoringAsciiCase(String t, int a, int b, int n) {
    for (int k = 0; k < n; k++) {
      char x = t.charAt(a + k);
      char y = t.charAt(b + k);
      if (x != y && (x ^ y) != 32 | ((x | 32) < 'a' || (x | 32) > 'z')) {
        return false;
      }
    }
    return true;
  }

  private void add(int s, int e, int f, long asciiHash) {
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      ends = Arrays.copyOf(ends, count * 2);
      flags = Arrays.copyOf(flags, count * 2);
      asciiHashes = Arrays.copyOf(asciiHashes, count * 2);
    }
    starts[count] = s;
    ends[count] = e;
    flags[count] = f;
    asciiHashes[count] = asciiHash;
    count++;
  }

  int length(int i) {
    return ends[i] - starts[i];
  }

  boolean has(int i, int flag) {
    return i >= 0 && i < count && (flags[i] & flag) != 0;
  }

  static boolean isLetter(char c) {
    return c < 128 ? ((c | 32) >= 'a' && (c | 32) <= 'z') : Character.isLetter(c);
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

  /** Chars between token a's end and token b's start are only spaces, and at most {@code max} of them. */
  boolean spaced(String t, int a, int b, int max) {
    int gap = starts[b] - ends[a];
    if (gap < 1 || gap > max) {
      return false;
    }
    for (int k = ends[a]; k < starts[b]; k++) {
      if (t.charAt(k) != ' ') {
        return false;
      }
    }
    return true;
  }

  /** The gap between a and b is one of: " ", ". ", ", ", ": ", "-", ".", or "/" (after "w"). */
  boolean joined(String t, int a, int b) {
    int gap = starts[b] - ends[a];
    if (gap == 1) {
      char c = t.charAt(ends[a]);
      return c == ' ' || c == '-' || c == '.' || c == '/' || c == ':';
    }
    if (gap == 2) {
      char c = t.charAt(ends[a]);
      char d = t.charAt(ends[a] + 1);
      return (d == ' ' && (c == '.' || c == ',' || c == ':' || c == ' ' || c == '-')) || (c == '-' && d == '-');
    }
    return gap == 3 && t.startsWith("---", ends[a]);
  }

  /** Token i is in a stretch of ALL-CAPS writing (it and a neighbour of 2+ letters are upper case). */
  boolean capsContext(String t, int i) {
    if (!allCaps(t, i)) {
      return false;
    }
    return (i > 0 && length(i - 1) >= 2 && allCaps(t, i - 1)) || (i + 1 < count && length(i + 1) >= 2 && allCaps(t, i + 1));
  }

  /** Token i is in lower-case writing (it and its neighbours start lower case). */
  boolean lowerContext(String t, int i) {
    return !capitalized(t, i) && (i == 0 || !capitalized(t, i - 1) || i + 1 >= count || !capitalized(t, i + 1));
  }
}
