package org.wardline.dlp.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiScanner;

/**
 * Scores a scanner against labelled notes as the deid corpus's authors did: a finding and a labelled span
 * match when they overlap; span recall over labelled spans, precision over findings; and per note, whether a
 * note with PHI got a finding and a note without got none. Keeps offsets, never text.
 */
public final class CorpusScore {

  /** A labelled span no finding overlapped. */
  public record Miss(String document, int start, int end, String category) {}

  /** A finding that overlapped no labelled span. */
  public record FalseAlarm(String document, int start, int end, String category, String detector) {}

  /** Found / total for one category. */
  public record Tally(int hit, int total) {
    public double rate() {
      return total == 0 ? 1.0 : (double) hit / total;
    }

    Tally plus(boolean h) {
      return new Tally(hit + (h ? 1 : 0), total + 1);
    }
  }

  private final Map<String, Tally> recallByCategory = new TreeMap<>();
  private final Map<String, Tally> precisionByCategory = new TreeMap<>();
  private final List<Miss> misses = new ArrayList<>();
  private final List<FalseAlarm> falseAlarms = new ArrayList<>();
  private int goldSpans;
  private int goldFound;
  private int findings;
  private int findingsRight;
  private int notesWithPhi;
  private int notesWithPhiFlagged;
  private int notesWithout;
  private int notesWithoutFlagged;
  private int notes;
  private long chars;

  private CorpusScore() {}

  public static CorpusScore of(List<LabelledDocument> documents, PhiScanner scanner) {
    CorpusScore s = new CorpusScore();
    for (LabelledDocument d : documents) {
      s.add(d, scanner.scan(d.text()));
    }
    return s;
  }

  private void add(LabelledDocument d, List<Finding> found) {
    notes++;
    chars += d.text().length();
    List<GoldSpan> gold = d.spans();
    for (GoldSpan g : gold) {
      boolean hit = found.stream().anyMatch(f -> f.start() < g.end() && g.start() < f.end());
      goldSpans++;
      goldFound += hit ? 1 : 0;
      recallByCategory.merge(g.category(), new Tally(hit ? 1 : 0, 1), CorpusScore::sum);
      if (!hit) {
        misses.add(new Miss(d.id(), g.start(), g.end(), g.category()));
      }
    }
    for (Finding f : found) {
      boolean right = gold.stream().anyMatch(g -> f.start() < g.end() && g.start() < f.end());
      findings++;
      findingsRight += right ? 1 : 0;
      precisionByCategory.merge(f.category().name(), new Tally(right ? 1 : 0, 1), CorpusScore::sum);
      if (!right) {
        falseAlarms.add(new FalseAlarm(d.id(), f.start(), f.end(), f.category().name(), f.detector()));
      }
    }
    if (gold.isEmpty()) {
      notesWithout++;
      notesWithoutFlagged += found.isEmpty() ? 0 : 1;
    } else {
      notesWithPhi++;
      notesWithPhiFlagged += found.isEmpty() ? 0 : 1;
    }
  }

  private static Tally sum(Tally a, Tally b) {
    return new Tally(a.hit() + b.hit(), a.total() + b.total());
  }

  public int notes() {
    return notes;
  }

  public long chars() {
    return chars;
  }

  public Tally recall() {
    return new Tally(goldFound, goldSpans);
  }

  public Tally precision() {
    return new Tally(findingsRight, findings);
  }

  /** Notes with labelled PHI that got at least one finding. */
  public Tally notesWithPhiFlagged() {
    return new Tally(notesWithPhiFlagged, notesWithPhi);
  }

  /** Notes without labelled PHI that got a finding all the same. */
  public Tally notesWithoutPhiFlagged() {
    return new Tally(notesWithoutFlagged, notesWithout);
  }

  /** Recall per labelled category, by the corpus's own names. */
  public Map<String, Tally> recallByCategory() {
    return recallByCategory;
  }

  /** Precision per Wardline category. */
  public Map<String, Tally> precisionByCategory() {
    return precisionByCategory;
  }

  /** Misses, most common category first (the worst gap leads), then in corpus order. */
  public List<Miss> misses() {
    return worstFirst(misses, Miss::category);
  }

  /** False alarms, most common category first, then in corpus order. */
  public List<FalseAlarm> falseAlarms() {
    return worstFirst(falseAlarms, FalseAlarm::category);
  }

  private static <T> List<T> worstFirst(List<T> items, java.util.function.Function<T, String> category) {
    Map<String, Integer> counts = new TreeMap<>();
    items.forEach(i -> counts.merge(category.apply(i), 1, Integer::sum));
    List<T> out = new ArrayList<>(items);
    out.sort(Comparator.comparingInt((T i) -> -counts.get(category.apply(i))).thenComparing(category));
    return out;
  }
}
