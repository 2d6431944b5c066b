package org.wardline.dlp.detect;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text under scan plus the shared pre-pass the detectors start from, so they stay fast: one scan finds the
 * digit runs, identifier tokens and words, and detectors try their patterns anchored at those places (with a
 * cheap test first) instead of at every char. Not thread-safe (caches fill lazily); create one per scan.
 */
public final class ScanText {


  /** Longest span an anchored pattern may cover. */
  private static final int MAX_SPAN = 320;

  private final String text;
  /** What the regexes run over: the text itself, or in tests a view of it that counts the chars read. */
  private final CharSequence matchView;
  private int[] runStarts;
  private int[] runLengths;
  private int runCount = -1;
  private int[] idTokenStarts;
  private int[] monthWordStarts;
  private int[] wordBounds;
  private final java.util.Map<Object, Object> memo = new java.util.HashMap<>();

  public ScanText(String text) {
    this(text, text);
  }

  /** For tests that count regex work: {@code matchView} must hold exactly the chars of {@code text}. */
  ScanText(String text, CharSequence matchView) {
    if (matchView.length() != text.length()) {
      throw new IllegalArgumentException("the match view must be the text");
    }
    this.text = text;
    this.matchView = matchView;
  }

  public String text() {
    return text;
  }

  public int length() {
    return text.length();
  }

  /** Runs {@code pattern} in each region (transparent bounds, so look-arounds see outside it). */
  public void findIn(int[] regions, Pattern pattern, Consumer<Matcher> onMatch) {
    Matcher m = pattern.matcher(matchView);
    m.useTransparentBounds(true);
    m.useAnchoringBounds(false);
    for (int r = 0; r < regions.length; r += 2) {
      m.region(regions[r], regions[r + 1]);
      while (m.find()) {
        onMatch.accept(m);
      }
    }
  }

  /**
   * True when one of {@code lowerWords} occurs as a word starting within {@code window} chars before
   * {@code pos}.
   */
  public boolean precededBy(int pos, int window, String... lowerWords) {
    return distanceFromCue(pos, window, lowerWords) >= 0;
  }

  /**
   * Chars between the end of the nearest of {@code lowerWords} (as a word starting within {@code window}
   * chars before {@code pos}) and {@code pos}; -1 when there is none.
   */
  public int distanceFromCue(int pos, int window, String... lowerWords) {
    int from = Math.max(0, pos - window);
    int best = -1;
    for (String w : lowerWords) {
      int wl = w.length();
      boolean wordEndsWithLetter = Character.isLetter(w.charAt(wl - 1));
      for (int i = pos - wl; i >= from; i--) {
        if (text.regionMatches(true, i, w, 0, wl)
            && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
            && (!wordEndsWithLetter || i + wl >= text.length() || !Character.isLetter(text.charAt(i + wl)))) {
          int d = pos - (i + wl);
          if (best < 0 || d < best) {
            best = d;
          }
          break;
        }
      }
    }
    return best;
  }

  /** True when one of {@code lowerWords} occurs as a word within {@code window} chars after {@code pos}. */
  public boolean followedBy(int pos, int window, String... lowerWords) {
    int to = Math.min(text.length(), pos + window);
    for (String w : lowerWords) {
      for (int i = pos; i + w.length() <= to; i++) {
        if (text.regionMatches(true, i, w, 0, w.length()) && (i == 0 || !Character.isLetter(text.charAt(i - 1)))) {
          return true;
        }
      }
    }
    return false;
  }

  private void computeRuns() {
    if (runCount < 0) {
      precompute();
    }
  }

  private static final byte DIGIT = 1;
  private static final byte LETTER = 2;
  private static final byte HYPHEN = 3;
  /** Class of each ASCII char for the pre-pass; 0 for everything that ends an identifier token. */
  private static final byte[] CHAR_CLASS = new byte[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      CHAR_CLASS[c] = DIGIT;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      CHAR_CLASS[c] = LETTER;
      CHAR_CLASS[c - 32] = LETTER;
    }
    CHAR_CLASS['-'] = HYPHEN;
  }

  private static int charClass(char c) {
    return c < 128 ? CHAR_CLASS[c] : 0;
  }


  /**
   * One pass over the text for the digit runs, identifier tokens and words most detectors start from: each
   * identifier token (a maximal run of ASCII letters, digits and hyphens) is walked as its digit runs, words
   * and hyphens, and chars outside tokens cost one table lookup.
   */
  private void precompute() {
    String t = text;
    int len = t.length();
    int[] starts = new int[64];
    int[] lengths = new int[64];
    int runs = 0;
    int[] ids = new int[64];
    int idCount = 0;
    int[] words = new int[256];
    int wordInts = 0;
    int i = 0;
    while (i < len) {
      if (charClass(t.charAt(i)) == 0) {
        i++;
        continue;
      }
      int idStart = i;
      boolean idHasDigit = false;
      while (i < len) {
        int k = charClass(t.charAt(i));
        int s = i;
        if (k == DIGIT) {
          do {
            i++;
          } while (i < len && charClass(t.charAt(i)) == DIGIT);
          if (runs == starts.length) {
            starts = Arrays.copyOf(starts, runs * 2);
            lengths = Arrays.copyOf(lengths, runs * 2);
          }
          starts[runs] = s;
          lengths[runs++] = i - s;
          idHasDigit = true;
        } else if (k == LETTER) {
          do {
            i++;
          } while (i < len && charClass(t.charAt(i)) == LETTER);
          if (wordInts + 2 > words.length) {
            words = Arrays.copyOf(words, words.length * 2);
          }
          words[wordInts++] = s;
          words[wordInts++] = i;
        } else if (k == HYPHEN) {
          i++;
        } else {
          break;
        }
      }
      if (idHasDigit) {
        if (idCount == ids.length) {
          ids = Arrays.copyOf(ids, idCount * 2);
        }
        ids[idCount++] = idStart;
      }
    }
    runStarts = starts;
    runLengths = lengths;
    runCount = runs;
    idTokenStarts = Arrays.copyOf(ids, idCount);
    wordBounds = Arrays.copyOf(words, wordInts);
  }

  /** Number of maximal runs of ASCII digits. */
  public int digitRunCount() {
    computeRuns();
    return runCount;
  }

  public int digitRunStart(int i) {
    computeRuns();
    return runStarts[i];
  }

  public int digitRunLength(int i) {
    computeRuns();
    return runLengths[i];
  }

  /**
   * Tries {@code pattern} anchored at the start of each digit run that passes {@code filter}
   * (transparent bounds, so look-behinds see the text before). This is how most detectors run: one cheap
   * length check per number instead of a regex attempt at every char.
   */
  public void matchAtDigitRuns(RunFilter filter, Pattern pattern, Consumer<Matcher> onMatch) {
    computeRuns();
    Matcher m = anchoredMatcher(pattern);
    int lastEnd = -1;
    for (int r = 0; r < runCount; r++) {
      int s = runStarts[r];
      if (s >= lastEnd && filter.test(s, runLengths[r]) && lookingAt(m, s)) {
        lastEnd = m.end();
        onMatch.accept(m);
      }
    }
  }

  /** Tries {@code pattern} anchored at each of the first {@code count} sorted offsets in {@code starts}. */
  public void matchAt(int[] starts, int count, Pattern pattern, Consumer<Matcher> onMatch) {
    Matcher m = anchoredMatcher(pattern);
    int lastEnd = -1;
    for (int k = 0; k < count; k++) {
      int s = starts[k];
      if (s >= lastEnd && lookingAt(m, s)) {
        lastEnd = m.end();
        onMatch.accept(m);
      }
    }
  }

  /** Starts of maximal runs of letters, digits and hyphens that contain a digit (identifier candidates). */
  public int[] idTokenStarts() {
    computeRuns();
    return idTokenStarts;
  }

  /** Starts of words whose first three letters are a month abbreviation ("Jul", "SEPT", "march"). */
  public int[] monthWordStarts() {
    if (monthWordStarts == null) {
      int[] words = wordBounds();
      int[] out = new int[16];
      int n = 0;
      for (int w = 0; w < words.length; w += 2) {
        int s = words[w];
        int len = words[w + 1] - s;
        if (len >= 3 && len <= 9 && isMonthPrefix(text, s)) {
          if (n == out.length) {
            out = Arrays.copyOf(out, n * 2);
          }
          out[n++] = s;
        }
      }
      monthWordStarts = Arrays.copyOf(out, n);
    }
    return monthWordStarts;
  }

  /** The three ASCII letters at {@code s}, lower-cased, are "jan", "feb" ... "dec". */
  private static boolean isMonthPrefix(String t, int s) {
    int key = (t.charAt(s) | 32) << 16 | (t.charAt(s + 1) | 32) << 8 | (t.charAt(s + 2) | 32);
    return switch (key) {
      case 'j' << 16 | 'a' << 8 | 'n', 'f' << 16 | 'e' << 8 | 'b', 'm' << 16 | 'a' << 8 | 'r',
          'a' << 16 | 'p' << 8 | 'r', 'm' << 16 | 'a' << 8 | 'y', 'j' << 16 | 'u' << 8 | 'n',
          'j' << 16 | 'u' << 8 | 'l', 'a' << 16 | 'u' << 8 | 'g', 's' << 16 | 'e' << 8 | 'p',
          'o' << 16 | 'c' << 8 | 't', 'n' << 16 | 'o' << 8 | 'v', 'd' << 16 | 'e' << 8 | 'c' -> true;
      default -> false;
    };
  }

  private static boolean isIdChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
  }

  /** A matcher over the text with transparent, non-anchoring bounds, for a detector's own regions. */
  public Matcher matcher(Pattern pattern) {
    return anchoredMatcher(pattern);
  }

  private Matcher anchoredMatcher(Pattern pattern) {
    Matcher m = pattern.matcher(matchView);
    m.useTransparentBounds(true);
    m.useAnchoringBounds(false);
    return m;
  }

  private boolean lookingAt(Matcher m, int start) {
    m.region(start, Math.min(text.length(), start + MAX_SPAN));
    return m.lookingAt();
  }

  /** Chooses digit runs worth a regex attempt. */
  @FunctionalInterface
  public interface RunFilter {
    boolean test(int start, int length);
  }

  /** True when the {@code count} chars from {@code from} are all ASCII digits (and inside the text). */
  public boolean digitsAt(int from, int count) {
    for (int i = from; i < from + count; i++) {
      char c = charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** The char at {@code i}, or 0 outside the text. */
  public char charAt(int i) {
    return i >= 0 && i < text.length() ? text.charAt(i) : 0;
  }

  /** Result of {@code compute} for {@code key}, computed once per text (for work detectors share). */
  @SuppressWarnings("unchecked")
  public <T> T memo(Object key, java.util.function.Supplier<T> compute) {
    Object v = memo.get(key);
    if (v == null) {
      v = compute.get();
      memo.put(key, v);
    }
    return (T) v;
  }

  /** Length of the run of letters, digits and hyphens starting at {@code start}. */
  public int idTokenLength(int start) {
    int i = start;
    while (i < text.length() && isIdChar(text.charAt(i))) {
      i++;
    }
    return i - start;
  }

  /** Pairs [start, end) of maximal runs of ASCII letters (words), in order. */
  public int[] wordBounds() {
    computeRuns();
    return wordBounds;
  }
}
