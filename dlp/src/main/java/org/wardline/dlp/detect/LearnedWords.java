package org.wardline.dlp.detect;

import java.util.Locale;
import java.util.Set;

/**
 * The words a detector learned from one text (names, places), asked about every later word of the text
 * without a substring or a lower-cased copy per word: {@link #contains} answers what
 * {@code words.contains(text.substring(start, end).toLowerCase(Locale.ROOT))} answers for token {@code i}. An
 * ASCII word is looked up by its case-insensitive {@link WordTable#hashOf hash}
 * (an ASCII word lower-cases char by char, so a learned word equal to it has the same hash and the same chars):
 * first in a bit filter that stays in the CPU cache, then char by char; only a word with other chars builds a
 * lower-cased string.
 */
final class LearnedWords {

  private final Set<String> words;
  private final long[] hashes;
  private final String[] table;
  private final int mask;
  private final long[] filter;
  private final int filterMask;

  LearnedWords(Set<String> words) {
    this.words = words;
    int size = Integer.highestOneBit(Math.max(4, words.size() * 4)) << 1;
    hashes = new long[size];
    table = new String[size];
    mask = size - 1;
    int filterBits = Math.max(1 << 12, Integer.highestOneBit(Math.max(1, words.size())) << 5);
    filter = new long[filterBits >>> 6];
    filterMask = filterBits - 1;
    for (String w : words) {
      long h = WordTable.hashOf(w, 0, w.length());
      int bit = filterBit(h);
      filter[bit >>> 6] |= 1L << bit;
      int i = slot(h);
      while (table[i] != null) {
        i = (i + 1) & mask;
      }
      table[i] = w;
      hashes[i] = h;
    }
  }

  /** True when token {@code i} of {@code tk}, lower-cased, is one of the words. */
  boolean contains(String text, LexTokens tk, int i) {
    int start = tk.starts[i];
    int end = tk.ends[i];
    long h = 0xcbf29ce484222325L; // WordTable.hashOf, with the ASCII test in the same pass
    int seen = 0;
    for (int k = start; k < end; k++) {
      char c = text.charAt(k);
      seen |= c;
      h ^= c >= 'A' && c <= 'Z' ? c + 32 : c;
      h *= 0x100000001b3L;
    }
    if (seen < 128) {
      int bit = filterBit(h);
      if ((filter[bit >>> 6] & (1L << bit)) == 0) {
        return false;
      }
      for (int s = slot(h); table[s] != null; s = (s + 1) & mask) {
        if (hashes[s] == h && asciiLowerEquals(table[s], text, start, end)) {
          return true;
        }
      }
      return false;
    }
    return words.contains(text.substring(start, end).toLowerCase(Locale.ROOT));
  }

  /** {@code word} equals the ASCII chars {@code text[start, end)} lower-cased. */
  private static boolean asciiLowerEquals(String word, String text, int start, int end) {
    if (word.length() != end - start) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      char c = text.charAt(start + k);
      if (word.charAt(k) != (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c)) {
        return false;
      }
    }
    return true;
  }

  private int filterBit(long h) {
    return (int) (h >>> 40) & filterMask;
  }

  private int slot(long h) {
    return (int) (h ^ (h >>> 29)) & mask;
  }
}
