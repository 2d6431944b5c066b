package org.wardline.dlp.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.wardline.dlp.detect.PhiCategory;

/** Builds a note piece by piece, recording the offsets of PHI as it goes; adds typos to plain text only. */
final class NoteBuilder {

  private final StringBuilder text = new StringBuilder();
  private final List<LabelledNote.Span> spans = new ArrayList<>();
  private final Random random;
  private final double typoRate;

  NoteBuilder(Random random, double typoRate) {
    this.random = random;
    this.typoRate = typoRate;
  }

  NoteBuilder t(String plain) {
    text.append(typos(plain));
    return this;
  }

  NoteBuilder phi(PhiCategory category, String value) {
    int start = text.length();
    text.append(value);
    spans.add(new LabelledNote.Span(category, start, text.length()));
    return this;
  }

  int length() {
    return text.length();
  }

  /** The note; in ALL CAPS when asked and when upper-casing keeps every offset. */
  LabelledNote build(String id, boolean allCaps) {
    String s = text.toString();
    if (allCaps) {
      String upper = s.toUpperCase(Locale.ROOT);
      if (upper.length() == s.length()) {
        s = upper;
      }
    }
    return new LabelledNote(id, s, List.copyOf(spans));
  }

  private String typos(String plain) {
    if (typoRate == 0) {
      return plain;
    }
    StringBuilder out = new StringBuilder(plain.length());
    for (String word : plain.split("(?<= )", -1)) {
      String core = word.strip();
      if (core.length() >= 4 && core.chars().allMatch(Character::isLetter) && random.nextDouble() < typoRate) {
        int k = 1 + random.nextInt(core.length() - 2);
        String typo = random.nextBoolean()
            ? core.substring(0, k) + core.charAt(k + 1) + core.charAt(k) + core.substring(k + 2)
            : core.substring(0, k) + core.substring(k + 1);
        out.append(word.replace(core, typo));
      } else {
        out.append(word);
      }
    }
    return out.toString();
  }
}
