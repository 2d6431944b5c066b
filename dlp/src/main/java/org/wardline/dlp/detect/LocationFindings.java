package org.wardline.dlp.detect;

import java.util.function.Consumer;

/** What the location rules of one scan report to: the findings, the tokens taken, the names learned for later mentions. */
final class LocationFindings {

  private final Consumer<Finding> out;
  final boolean[] taken;
  final LearnedWords learned;

  LocationFindings(Consumer<Finding> out, boolean[] taken, LearnedWords learned) {
    this.out = out;
    this.taken = taken;
    this.learned = learned;
  }

  /** Reports tokens {@code from..to} as one place and learns its words that are not everyday English. */
  void add(String t, LexTokens tk, int from, int to, double confidence) {
    out.accept(new Finding(PhiCategory.LOCATION, tk.starts[from], tk.ends[to], "location", confidence));
    for (int j = from; j <= to; j++) {
      taken[j] = true;
      if (LocationDetector.oddWord(tk, j)) {
        learned.add(t, tk.starts[j], tk.ends[j]);
      }
    }
  }
}
