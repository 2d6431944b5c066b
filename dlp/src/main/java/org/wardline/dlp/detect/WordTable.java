package org.wardline.dlp.detect;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Case-insensitive lookup of words by char range, without allocating: an open-addressing table of 64-bit
 * hashes of the lower-cased words, each verified char by char. Values are small flag sets.
 */
final class WordTable {

  /**
   * Two longs per slot, so that a look-up that finds its hash finds the rest on the same cache line: the hash,
   * then the word's flags (high half) and its offset in {@link #chars} (low half); offset 0 marks an empty slot.
   */
  private final long[] slots;
  /** The lower-cased words, each as its length (one char) and its chars; chars[0] is unused. */
  private final char[] chars;
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
    slots = new long[2 * size];
    mask = size - 1;
    filterBits = Math.max(1 << 16, Integer.highestOneBit(Math.max(1, wordFlags.size())) << 4);
    filter = new long[filterBits / 64];
    Map<String, Integer> lower = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : wordFlags.entrySet()) {
      String w = e.getKey().toLowerCase(Locale.ROOT);
      if (w.isEmpty() || w.length() > Character.MAX_VALUE) {
        throw new IllegalArgumentException("a word table's words are 1 to 65535 chars long");
      }
      lower.merge(w, e.getValue(), (a, b) -> a | b);
    }
    long total = 1 + lower.keySet().stream().mapToLong(w -> 1 + w.length()).sum();
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("word table too large");
    }
    chars = new char[(int) total];
    int at = 1;
    for (Map.Entry<String, Integer> e : lower.entrySet()) {
      String w = e.getKey();
      long h = hash(w, 0, w.length());
      int i = (int) (h ^ (h >>> 32)) & mask;
      while (slots[2 * i + 1] != 0) {
        i = (i + 1) & mask;
      }
      chars[at] = (char) w.length();
      w.getChars(0, w.length(), chars, at + 1);
      slots[2 * i] = h;
      slots[2 * i + 1] = ((long) e.getValue() << 32) | at;
      at += 1 + w.length();
      filter[filterBit(h) >>> 6] |= 1L << filterBit(h);
      char c = w.charAt(0);
      if (c < 128) {
        lengthsByFirst[c] |= lengthBit(w.length());
      } else {
        nonAsciiFirst = true;
      }
    }
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
    return probe(text, start, end, h);
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
    return probe(text, start, end, h);
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

  private int probe(CharSequence text, int start, int end, long h) {
    int i = (int) (h ^ (h >>> 32)) & mask;
    long meta;
    while ((meta = slots[2 * i + 1]) != 0) {
      if (slots[2 * i] == h && sameIgnoringCase((int) meta, text, start, end)) {
        return (int) (meta >>> 32);
      }
      i = (i + 1) & mask;
    }
    return 0;
  }

  /** The word at {@code at} in {@link #chars} equals {@code text[start, end)} lower-cased char by char. */
  private boolean sameIgnoringCase(int at, CharSequence text, int start, int end) {
    int n = chars[at];
    if (n != end - start) {
      return false;
    }
    for (int k = 0; k < n; k++) {
      if (chars[at + 1 + k] != lower(text.charAt(start + k))) {
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
