package org.wardline.dlp.detect;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a detector and drops what clinical prose only looks like: a "name" made of everyday or clinical words
 * in capitals ("MS: OPENS EYES", "SEE MD NOTE"), a "street address" made of a count and clinical words ("15
 * SEC RUN", "10u reg SQ", "3 WAY FOLEY IN PLACE"). The detector itself is unchanged, so its findings on other
 * text stay what they were.
 */
public final class ClinicalProseVeto implements PhiDetector {

  private static final int NEVER = ClinicalLexicon.CLINICAL | ClinicalLexicon.FUNCTION
      | ClinicalLexicon.WEEKDAY_OR_MONTH | ClinicalLexicon.NOT_A_NAME;
  private static final WordTable AMBIGUOUS_SUFFIXES = WordTable.of(List.of("run", "way", "well", "wells", "place",
      "course", "rest", "av", "dr", "sq", "pass", "path", "loop", "key", "view", "walk", "point", "spring", "bend",
      "fall", "falls", "lock", "mill", "park", "row", "ramp", "rue", "st", "ct", "pl", "cir", "ln", "trail", "track",
      "trace", "union", "light", "lights", "field", "flat", "flats", "green", "land", "lake", "wall", "ways",
      "cove", "crest", "hill", "hills", "camp", "center", "circle", "court", "drive", "junction", "station"));

  private final PhiDetector inner;
  private final ClinicalLexicon lexicon;

  public ClinicalProseVeto(PhiDetector inner, ClinicalLexicon lexicon) {
    this.inner = inner;
    this.lexicon = lexicon;
  }

  /** The detector whose findings this filters. */
  PhiDetector inner() {
    return inner;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public PhiCategory category() {
    return inner.category();
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    LexTokens tk = LexTokens.of(text, lexicon);
    int[] cursor = {0};
    inner.detect(text, f -> {
      if (!vetoed(text.text(), tk, cursor, f)) {
        out.accept(f);
      }
    });
  }

  private static boolean vetoed(String t, LexTokens tk, int[] cursor, Finding f) {
    int first = firstTokenAtOrAfter(tk, f.start(), cursor);
    if (f.category() == PhiCategory.PERSON_NAME) {
      for (int i = first; i < tk.count && tk.starts[i] < f.end(); i++) {
        int fl = tk.flags[i];
        boolean everyday = (fl & NEVER) != 0
            || ((fl & ClinicalLexicon.ENGLISH) != 0 && (fl & (ClinicalLexicon.FIRST | ClinicalLexicon.LAST)) == 0);
        if (!everyday) {
          return false;
        }
      }
      return true;
    }
    if (f.category() == PhiCategory.STREET_ADDRESS) {
      boolean allEnglish = true;
      int last = -1;
      for (int i = first; i < tk.count && tk.starts[i] < f.end(); i++) {
        int fl = tk.flags[i];
        if ((fl & (ClinicalLexicon.CLINICAL | ClinicalLexicon.FUNCTION)) != 0 && tk.length(i) > 1) {
          return true;
        }
        allEnglish &= (fl & ClinicalLexicon.ENGLISH) != 0 || tk.length(i) == 1;
        last = i;
      }
      return last >= 0 && allEnglish && AMBIGUOUS_SUFFIXES.contains(t, tk.starts[last], tk.ends[last]);
    }
    return false;
  }

  /**
   * Index of the first token starting at or after {@code pos}. Findings mostly come in text order, so the search
   * gallops forward from where the last one ended ({@code cursor}) and touches a few nearby tokens, not a binary
   * search's worth of far-apart ones; a finding before the cursor searches from the start.
   */
  private static int firstTokenAtOrAfter(LexTokens tk, int pos, int[] cursor) {
    int lo = 0;
    int hi = tk.count;
    int c = cursor[0];
    if (c < tk.count && tk.starts[c] < pos) {
      lo = c + 1; // every token up to c starts before pos
      int step = 1;
      hi = lo;
      while (hi < tk.count && tk.starts[hi] < pos) {
        lo = hi + 1;
        hi += step;
        step <<= 1;
      }
      hi = Math.min(hi, tk.count);
    } else if (c > 0 && c <= tk.count && tk.starts[c - 1] < pos) {
      lo = c;
      hi = c; // token c-1 starts before pos and token c (or the end) does not
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (tk.starts[mid] < pos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    cursor[0] = lo;
    return lo;
  }
}
