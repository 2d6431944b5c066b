package org.wardline.dlp.detect;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text under scan plus the shared pre-pass the detectors use to stay fast: most identifiers contain digits,
 * so regular expressions run only in the regions around digit clusters instead of over the whole text.
 * Not thread-safe (caches are filled lazily); create one per scan.
 */
public final class ScanText {

  /** Chars of context kept on each side of a digit cluster: enough for "Medical record number: ". */
  static final int REGION_PAD = 48;
  /** Digits closer than this belong to the same cluster. */
  private static final int CLUSTER_GAP = 8;

  private final String text;
  private int[] digitRegions;

  public ScanText(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  public int length() {
    return text.length();
  }

  /** Merged [start, end) pairs around every run of digits, padded by {@value #REGION_PAD} chars. */
  public int[] digitRegions() {
    if (digitRegions == null) {
      digitRegions = regionsAround(c -> c >= '0' && c <= '9', CLUSTER_GAP, REGION_PAD);
    }
    return digitRegions;
  }

  /** Merged [start, end) pairs around chars matching {@code trigger}. */
  public int[] regionsAround(IntPredicate trigger, int gap, int pad) {
    int[] out = new int[16];
    int n = 0;
    int len = text.length();
    int i = 0;
    while (i < len) {
      if (!trigger.test(text.charAt(i))) {
        i++;
        continue;
      }
      int clusterStart = i;
      int last = i;
      int j = i + 1;
      while (j < len && j - last <= gap) {
        if (trigger.test(text.charAt(j))) {
          last = j;
        }
        j++;
      }
      int s = Math.max(0, clusterStart - pad);
      int e = Math.min(len, last + 1 + pad);
      if (n > 0 && s <= out[n - 1]) {
        out[n - 1] = e;
      } else {
        if (n + 2 > out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        out[n++] = s;
        out[n++] = e;
      }
      i = last + 1;
    }
    return Arrays.copyOf(out, n);
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
}
