package org.wardline.dlp.detect.legacy;

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
  private static final WordTable MONTH_PREFIXES = WordTable.of(
      java.util.List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"));

  private final String text;
  private int[] runStarts;
  private int[] runLengths;
  private int runCount = -1;
  private int[] idTokenStarts;
  private int[] monthWordStarts;
  private int[] wordBounds;
  private final java.util.Map<Object, Object> memo = new java.util.HashMap<>();

  public ScanText(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  public int length() {
    return text.length();
  }

  /** Runs {@code pattern} in each region (transparent bounds, so look-arounds see outside it). */
  public void findIn(int[] regions, Pattern pattern, Consumer<Matcher> onMatch) {
    Matcher m = pattern.matcher(text);
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

  /** One pass over the text for the digit runs, identifier tokens and words most detectors start from. */
  private void precompute() {
    int len = text.length();
    int[] starts = new int[64];
    int[] lengths = new int[64];
    int runs = 0;
    int[] ids = new int[64];
    int idCount = 0;
    int[] words = new int[256];
    int wordInts = 0;
    int idStart = -1;
    boolean idHasDigit = false;
    int wordStart = -1;
    int runStart = -1;
    for (int i = 0; i <= len; i++) {
      char c = i < len ? text.charAt(i) : ' ';
      boolean digit = c >= '0' && c <= '9';
      boolean letter = (c | 32) >= 'a' && (c | 32) <= 'z';
      if (digit) {
        if (runStart < 0) {
          runStart = i;
        }
      } else if (runStart >= 0) {
        if (runs == starts.length) {
          starts = Arrays.copyOf(starts, runs * 2);
          lengths = Arrays.copyOf(lengths, runs * 2);
        }
        starts[runs] = runStart;
        lengths[runs++] = i - runStart;
        runStart = -1;
      }
      if (letter) {
        if (wordStart < 0) {
          wordStart = i;
        }
      } else if (wordStart >= 0) {
        if (wordInts + 2 > words.length) {
          words = Arrays.copyOf(words, words.length * 2);
        }
        words[wordInts++] = wordStart;
        words[wordInts++] = i;
        wordStart = -1;
      }
      if (digit || letter || c == '-') {
        if (idStart < 0) {
          idStart = i;
          idHasDigit = false;
        }
        idHasDigit |= digit;
      } else if (idStart >= 0) {
        if (idHasDigit) {
          if (idCount == ids.length) {
            ids = Arrays.copyOf(ids, idCount * 2);
          }
          ids[idCount++] = idStart;
        }
        idStart = -1;
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
        if (len >= 3 && len <= 9 && "jfmasondJFMASOND".indexOf(text.charAt(s)) >= 0
            && MONTH_PREFIXES.contains(text, s, s + 3)) {
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

  private static boolean isIdChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
  }

  private Matcher anchoredMatcher(Pattern pattern) {
    Matcher m = pattern.matcher(text);
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
