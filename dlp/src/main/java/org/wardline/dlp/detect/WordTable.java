package org.wardline.dlp.detect;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Case-insensitive lookup of words by char range, without allocating: an open-addressing table of 64-bit
 * hashes of the lower-cased words, each verified char by char. Values are small flag sets.
 */
final class WordTable {

  private final long[] hashes;
  private final String[] words;
  private final int[] flags;
  private final int mask;
  /** Quick rejection before hashing: for each ASCII first char, a bit per word length (63 = longer). */
  private final long[] lengthsByFirst = new long[128];
  private boolean nonAsciiFirst;
  /**
   * Second rejection, after hashing: one bit per word, indexed by other bits of the hash than the table
   * index. It fits in the L1 cache where the table does not, so most words that are not in the table cost no
   * miss on it.
   */
  private final long[] filter;
  /** Filter size in bits: 2^16, or about 16 bits per word for large tables, so it still rejects. */
  private final int filterBits;
  private static final char[] ASCII_LOWER = new char[128];

  static {
    for (char c = 0; c < 128; c++) {
      ASCII_LOWER[c] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
  }

  WordTable(Map<String, Integer> wordFlags) {
    int size = Integer.highestOneBit(Math.max(4, wordFlags.size() * 3)) << 1;
    hashes = new long[size];
    words = new String[size];
    flags = new int[size];
    mask = size - 1;
    filterBits = Math.max(1 << 16, Integer.highestOneBit(Math.max(1, wordFlags.size())) << 4);
    filter = new long[filterBits / 64];
    wordFlags.forEach((word, f) -> {
      String w = word.toLowerCase(Locale.ROOT);
      long h = hash(w, 0, w.length());
      int i = (int) (h ^ (h >>> 32)) & mask;
      while (words[i] != null && !words[i].equals(w)) {
        i = (i + 1) & mask;
      }
      hashes[i] = h;
      words[i] = w;
      filter[filterBit(h) >>> 6] |= 1L << filterBit(h);
      flags[i] |= f;
      char c = w.charAt(0);
      if (c < 128) {
        lengthsByFirst[c] |= lengthBit(w.length());
      } else {
        nonAsciiFirst = true;
      }
    });
  }

  static WordTable of(Collection<String> words) {
    Map<String, Integer> m = new java.util.HashMap<>();
    words.forEach(w -> m.put(w, 1));
    return new WordTable(m);
  }

  /** Flags of the word {@code text[start, end)} ignoring case, 0 if absent. */
  int flags(CharSequence text, int start, int end) {
    if (end <= start) {
      return 0;
    }
    char c = lower(text.charAt(start));
    if (c < 128 ? (lengthsByFirst[c] & lengthBit(end - start)) == 0 : !nonAsciiFirst) {
      return 0;
    }
    long h = hash(text, start, end);
    int bit = filterBit(h);
    if ((filter[bit >>> 6] & (1L << bit)) == 0) {
      return 0;
    }
    int i = (int) (h ^ (h >>> 32)) & mask;
    while (words[i] != null) {
      if (hashes[i] == h && sameIgnoringCase(words[i], text, start, end)) {
        return flags[i];
      }
      i = (i + 1) & mask;
    }
    return 0;
  }

  /** The hash {@link #flags(CharSequence, int, int, long)} takes: the same for words equal ignoring case. */
  static long hashOf(CharSequence text, int start, int end) {
    return hash(text, start, end);
  }

  /** {@link #flags(CharSequence, int, int)} for a caller that already has the word's {@link #hashOf}. */
  int flags(CharSequence text, int start, int end, long h) {
    if (end <= start) {
      return 0;
    }
    char c = lower(text.charAt(start));
    if (c < 128 ? (lengthsByFirst[c] & lengthBit(end - start)) == 0 : !nonAsciiFirst) {
      return 0;
    }
    int bit = filterBit(h);
    if ((filter[bit >>> 6] & (1L << bit)) == 0) {
      return 0;
    }
    int i = (int) (h ^ (h >>> 32)) & mask;
    while (words[i] != null) {
      if (hashes[i] == h && sameIgnoringCase(words[i], text, start, end)) {
        return flags[i];
      }
      i = (i + 1) & mask;
    }
    return 0;
  }

  boolean contains(CharSequence text, int start, int end) {
    return flags(text, start, end) != 0;
  }

  private int filterBit(long h) {
    return (int) (h >>> 40) & (filterBits - 1);
  }

  private static long lengthBit(int len) {
    return len < 63 ? 1L << len : 1L << 63;
  }

  private static boolean sameIgnoringCase(String word, CharSequence text, int start, int end) {
    if (word.length() != end - start) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      if (word.charAt(k) != lower(text.charAt(start + k))) {
        return false;
      }
    }
    return true;
  }

  private static char lower(char c) {
    return c < 128 ? ASCII_LOWER[c] : Character.toLowerCase(c);
  }

  /** The hash of no chars; {@link #hashStep} adds one. */
  static final long HASH_START = 0xcbf29ce484222325L;

  /** {@link #hashOf} of a word from the hash of all but its last char and that char. */
  static long hashStep(long h, char c) {
    return (h ^ lower(c)) * 0x100000001b3L;
  }

  private static long hash(CharSequence s, int start, int end) {
    long h = HASH_START;
    for (int k = start; k < end; k++) {
      h = hashStep(h, s.charAt(k));
    }
    return h;
  }
}
