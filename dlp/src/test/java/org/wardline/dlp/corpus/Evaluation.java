package org.wardline.dlp.corpus;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;
import org.wardline.dlp.detect.PhiScanner;

/**
 * Span-level recall and precision. A labelled span is found when a finding of the same category overlaps
 * it; a finding is correct when it overlaps a labelled span of its category. Category confusions (a fax
 * number reported as a phone) count against both.
 */
public final class Evaluation {

  /** Counts for one category. */
  public static final class Counts {
    int gold;
    int found;
    int predicted;
    int correct;

    public double recall() {
      return gold == 0 ? 1.0 : (double) found / gold;
    }

    public double precision() {
      return predicted == 0 ? 1.0 : (double) correct / predicted;
    }
  }

  private final Map<PhiCategory, Counts> byCategory = new EnumMap<>(PhiCategory.class);
  private final Counts overall = new Counts();

  public static Evaluation run(PhiScanner scanner, List<LabelledNote> notes) {
    Evaluation e = new Evaluation();
    for (LabelledNote note : notes) {
      e.add(note, scanner.scan(note.text()));
    }
    return e;
  }

  void add(LabelledNote note, List<Finding> findings) {
    for (LabelledNote.Span g : note.spans()) {
      boolean hit = findings.stream().anyMatch(f -> f.category() == g.category() && overlaps(f, g));
      count(g.category(), c -> {
        c.gold++;
        if (hit) {
          c.found++;
        }
      });
    }
    for (Finding f : findings) {
      boolean ok = note.spans().stream().anyMatch(g -> f.category() == g.category() && overlaps(f, g));
      count(f.category(), c -> {
        c.predicted++;
        if (ok) {
          c.correct++;
        }
      });
    }
  }

  private void count(PhiCategory category, java.util.function.Consumer<Counts> update) {
    update.accept(byCategory.computeIfAbsent(category, k -> new Counts()));
    update.accept(overall);
  }

  private static boolean overlaps(Finding f, LabelledNote.Span g) {
    return f.start() < g.end() && g.start() < f.end();
  }

  public Counts overall() {
    return overall;
  }

  public Map<PhiCategory, Counts> byCategory() {
    return byCategory;
  }

  /** A fixed-width table: category, labelled, found, recall, reported, correct, precision. */
  public String table(String title) {
    StringBuilder b = new StringBuilder(title).append('\n');
    b.append(String.format(Locale.ROOT, "%-16s %7s %7s %8s %8s %8s %9s%n", "category", "labels", "found", "recall",
        "reported", "correct", "precision"));
    byCategory.forEach((cat, c) -> row(b, cat.name(), c));
    row(b, "OVERALL", overall);
    return b.toString();
  }

  private static void row(StringBuilder b, String name, Counts c) {
    b.append(String.format(Locale.ROOT, "%-16s %7d %7d %7.1f%% %8d %8d %8.1f%%%n", name, c.gold, c.found,
        100 * c.recall(), c.predicted, c.correct, 100 * c.precision()));
  }
}
