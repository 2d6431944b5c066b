package org.wardline.dlp.detect;

import java.util.List;

/**
 * One shape of place name that {@link LocationDetector} looks for. A rule runs only at a word of its
 * {@link #cueWords()}, which the lexicon flags once, so a word that starts no rule costs one bit test.
 */
interface LocationRule {

  /** The words, lower-cased, at which this rule looks. */
  List<String> cueWords();

  /** Looks around token {@code i}, one of {@link #cueWords()}, a bounded distance, and reports what it finds. */
  void at(String t, LexTokens tk, int i, LocationFindings found);
}
