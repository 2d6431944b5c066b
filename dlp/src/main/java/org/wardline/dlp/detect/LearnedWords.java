package org.wardline.dlp.detect;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The words a detector learns from one text (names, places) and asks about every later word of the text: a set
 * of lower-cased words ({@code text.substring(start, end).toLowerCase(Locale.ROOT)}) that is added to and asked
 * without a string per word. An ASCII word lower-cases char by char, so it is found by its case-insensitive
 * {@link WordTable#hashOf hash} (first in a bit filter that stays in the CPU cache, then in a table whose words
 * sit in one char array, so a hit reads no string object); only a word with other chars builds its lower-cased
 * string. One per scan, not thread-safe.
 */
final class LearnedWords {

  /** Every word, lower-cased: asked for words with non-ASCII chars. */
  private final Set<String> all = new HashSet<>();
  /** The words whose lower case is ASCII, by hash: slot s holds a word when {@code wordAt[s] != 0}. */
  private long[] hashes = new long[64];
  /** Where slot s's word starts in {@link #chars}, or 0 for an empty slot. */
  private int[] wordAt = new int[64];
  private int[] wordLength = new int[64];
  /** The ASCII words' chars, lower-cased, one after another; index 0 is unused. */
  private char[] chars = new char[256];
  private int charsUsed = 1;
  private int size;
  private long[] filter = new long[1 << 6];

  boolean isEmpty() {
    return all.isEmpty();
  }

  /** Adds {@code text[start, end)}, lower-cased. */
  void add(String text, int start, int end) {
    long h = asciiHash(text, start, end);
    if (h != NOT_ASCII) {
      if (findAscii(h, text, start, end)) {
        return; // already learned: no string
      }
      String w = text.substring(start, end).toLowerCase(Locale.ROOT);
      all.add(w);
      put(h, w);
      return;
    }
    String w = text.substring(start, end).toLowerCase(Locale.ROOT);
    if (all.add(w)) {
      long lh = asciiHash(w, 0, w.length());
      if (lh != NOT_ASCII) {
        put(lh, w); // a non-ASCII char that lower-cases to ASCII (the Kelvin sign)
      }
    }
  }

  /** True when token {@code i} of {@code tk}, lower-cased, is one of the words (by the hash {@code tk} kept). */
  boolean contains(String text, LexTokens tk, int i) {
    int start = tk.starts[i];
    int end = tk.ends[i];
    long h = tk.asciiHashes[i];
    if (h != LexTokens.NO_HASH) {
      return findAscii(h, text, start, end);
    }
    h = asciiHash(text, start, end);
    if (h != NOT_ASCII) {
      return findAscii(h, text, start, end);
    }
    return all.contains(text.substring(start, end).toLowerCase(Locale.ROOT));
  }

  private static final long NOT_ASCII = 0;

  /** {@link WordTable#hashOf} of an ASCII word (never 0), or {@link #NOT_ASCII}. */
  private static long asciiHash(String text, int start, int end) {
    long h = 0xcbf29ce484222325L;
    int seen = 0;
    for (int k = start; k < end; k++) {
      char c = text.charAt(k);
      seen |= c;
      h ^= c >= 'A' && c <= 'Z' ? c + 32 : c;
      h *= 0x100000001b3L;
    }
    return seen >= 128 ? NOT_ASCII : h == NOT_ASCII ? 1 : h;
  }

  private boolean findAscii(long h, String text, int start, int end) {
    int bit = filterBit(h);
    if ((filter[bit >>> 6] & (1L << bit)) == 0) {
      return false;
    }
    int mask = wordAt.length - 1;
    for (int s = slot(h, mask); wordAt[s] != 0; s = (s + 1) & mask) {
      if (hashes[s] == h && asciiLowerEquals(wordAt[s], wordLength[s], text, start, end)) {
        return true;
      }
    }
    return false;
  }

  private void put(long h, String w) {
    if (2 * (size + 1) > wordAt.length) {
      long[] oldHashes = hashes;
      int[] oldAt = wordAt;
      int[] oldLength = wordLength;
      hashes = new long[oldAt.length * 2];
      wordAt = new int[oldAt.length * 2];
      wordLength = new int[oldAt.length * 2];
      filter = new long[Math.max(filter.length, wordAt.length / 4)];
      size = 0;
      for (int k = 0; k < oldAt.length; k++) {
        if (oldAt[k] != 0) {
          insert(oldHashes[k], oldAt[k], oldLength[k]);
        }
      }
    }
    if (charsUsed + w.length() > chars.length) {
      chars = java.util.Arrays.copyOf(chars, Math.max(2 * chars.length, charsUsed + w.length()));
    }
    w.getChars(0, w.length(), chars, charsUsed);
    insert(h, charsUsed, w.length());
    charsUsed += w.length();
  }

  private void insert(long h, int at, int length) {
    int mask = wordAt.length - 1;
    int s = slot(h, mask);
    while (wordAt[s] != 0) {
      s = (s + 1) & mask;
    }
    wordAt[s] = at;
    wordLength[s] = length;
    hashes[s] = h;
    size++;
    int bit = filterBit(h);
    filter[bit >>> 6] |= 1L << bit;
  }

  private int filterBit(long h) {
    return (int) (h >>> 40) & (filter.length * 64 - 1);
  }

  private static int slot(long h, int mask) {
    return (int) (h ^ (h >>> 29)) & mask;
  }

  /** The word at {@code at} in {@link #chars} equals the ASCII chars {@code text[start, end)} lower-cased. */
  private boolean asciiLowerEquals(int at, int length, String text, int start, int end) {
    if (length != end - start) {
      return false;
    }
    for (int k = 0; k < length; k++) {
      char c = text.charAt(start + k);
      if (chars[at + k] != (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c)) {
        return false;
      }
    }
    return true;
  }
}
