package org.wardline.dlp.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wardline.dlp.bench.HostileText;

/**
 * Text built to make regexes backtrack (see {@link HostileText}) costs work in proportion to its length: the
 * chars every detector's regexes read, counted through a view of the text, grow linearly when the text
 * grows four-fold, and stay below a fixed number per char. No clock is involved: the count is the work.
 */
class HostileInputTest {

  private static final List<PhiDetector> DETECTORS = PhiScanner.standardDetectors(NameDictionary.standard());
  /** Regex chars read per char of text (the prefilters keep most chars from any regex). */
  private static final long MAX_READS_PER_CHAR = 64;

  @Test
  void eachMotifScansInLinearWork() {
    String[] small = HostileText.motifs(8_000);
    String[] large = HostileText.motifs(32_000);
    for (int i = 0; i < small.length; i++) {
      for (PhiDetector d : DETECTORS) {
        long s = regexReads(d, small[i]);
        long l = regexReads(d, large[i]);
        String what = d.name() + " on motif " + i + " (" + small[i].substring(0, 40) + "...)";
        assertThat(l).as(what + ": reads at 4x the size").isLessThanOrEqualTo(4 * s + 4_000);
        assertThat(l).as(what + ": reads per char").isLessThanOrEqualTo(MAX_READS_PER_CHAR * large[i].length());
      }
    }
  }

  @Test
  void mixedHostileTextScansInLinearWork() {
    String small = HostileText.of(50_000, 2_000);
    String large = small.repeat(4);
    long s = 0;
    long l = 0;
    for (PhiDetector d : DETECTORS) {
      s += regexReads(d, small);
      l += regexReads(d, large);
    }
    assertThat(l).isLessThanOrEqualTo(4 * s + s / 20);
    assertThat(l).isLessThanOrEqualTo(MAX_READS_PER_CHAR * large.length());
    assertThat(PhiScanner.standard().scan(large)).isNotEmpty();
  }

  @Test
  void theCountingViewCountsRegexWork() {
    // a text with an SSN makes the SSN regex read at least its eleven chars
    assertThat(regexReads(new SsnDetector(), "SSN 123-45-6789")).isGreaterThanOrEqualTo(11);
    assertThat(regexReads(new SsnDetector(), "no digits here")).isZero();
  }

  private static long regexReads(PhiDetector detector, String text) {
    CountingView view = new CountingView(text);
    List<Finding> out = new ArrayList<>();
    detector.detect(new ScanText(text, view), out::add);
    return view.reads;
  }

  /** The text as the regexes see it, counting every char they read. */
  private static final class CountingView implements CharSequence {
    private final String text;
    long reads;

    CountingView(String text) {
      this.text = text;
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public char charAt(int index) {
      reads++;
      return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      reads += end - start;
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      reads += text.length();
      return text;
    }
  }
}
