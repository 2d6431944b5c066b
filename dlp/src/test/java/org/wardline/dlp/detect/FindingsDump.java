package org.wardline.dlp.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.wardline.dlp.bench.DlpThroughputBench;
import org.wardline.dlp.bench.HostileText;
import org.wardline.dlp.corpus.LabelledNote;
import org.wardline.dlp.corpus.SyntheticCorpus;
import org.wardline.dlp.eval.CorpusFormatException;
import org.wardline.dlp.eval.LabelledDocument;
import org.wardline.dlp.eval.PhysioNetCorpus;

/**
 * The differential check for a speed change to the detectors that {@link ScannerDifferentialTest} does not pin
 * (issue #17's clinical-writing detectors and the ones behind {@link ClinicalProseVeto}): writes every detector's
 * raw findings and the resolved list, as offsets, categories, detectors and confidences (never text), for a
 * labelled corpus read at run time (as written, upper- and lower-cased), the synthetic corpus, the benchmark's
 * notes (its 16 MB text and five other seeds), hostile text, the adversarial texts and scrambled cue snippets.
 * Run it with the old build's classes and with the new one's and compare the two files byte for byte:
 *
 * <pre>
 *   java -cp dlp/target/test-classes:dlp/target/classes:$(cat cp.txt) \
 *     org.wardline.dlp.detect.FindingsDump CORPUS_DIR OUT_FILE
 * </pre>
 *
 * Not a test: the corpus is not in the project (README: no copy of it in the tree).
 */
public final class FindingsDump {

  private FindingsDump() {}

  public static void main(String[] args) throws IOException, CorpusFormatException {
    if (args.length != 2) {
      System.err.println("usage: FindingsDump CORPUS_DIR OUT_FILE");
      System.exit(2);
    }
    List<String> texts = texts(Path.of(args[0]));
    List<PhiDetector> detectors = PhiScanner.standardDetectors(NameDictionary.standard());
    PhiScanner scanner = new PhiScanner(detectors);
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < texts.size(); k++) {
      int t = k;
      ScanText scan = new ScanText(texts.get(t));
      for (PhiDetector d : detectors) {
        List<Finding> raw = new ArrayList<>();
        d.detect(scan, raw::add);
        raw.sort(Comparator.comparingInt(Finding::start).thenComparingInt(Finding::end)
            .thenComparing(f -> f.category().name()).thenComparingDouble(Finding::confidence));
        raw.forEach(f -> out.append(t).append(' ').append(d.name()).append(' ').append(f).append('\n'));
      }
      scanner.scan(texts.get(t)).forEach(f -> out.append(t).append(" RESOLVED ").append(f).append('\n'));
    }
    Files.writeString(Path.of(args[1]), out);
    System.out.printf(Locale.ROOT, "%d texts, %d lines%n", texts.size(), out.chars().filter(c -> c == '\n').count());
  }

  private static List<String> texts(Path corpus) throws IOException, CorpusFormatException {
    List<String> texts = new ArrayList<>();
    List<LabelledDocument> notes = PhysioNetCorpus.read(corpus);
    notes.forEach(d -> texts.add(d.text()));
    notes.forEach(d -> {
      texts.add(d.text().toUpperCase(Locale.ROOT));
      texts.add(d.text().toLowerCase(Locale.ROOT));
    });
    for (String set : List.of("main", "heldout")) {
      SyntheticCorpus.load(set).forEach((LabelledNote n) -> texts.add(n.text()));
    }
    texts.add(DlpThroughputBench.syntheticNotes(16_000_000, new Random(42)));
    for (long seed : new long[] {1, 2, 3, 7, 20261123}) {
      texts.add(DlpThroughputBench.syntheticNotes(300_000, new Random(seed)));
    }
    texts.addAll(List.of(HostileText.motifs(8_000)));
    texts.addAll(List.of(HostileText.motifs(32_000)));
    texts.add(HostileText.of(50_000, 2_000).repeat(4));
    texts.add(HostileText.of(64_000, 2_000));
    for (long seed : new long[] {1, 2, 3, 42, 20261123}) {
      Random r = new Random(seed);
      for (int i = 0; i < 40; i++) {
        texts.add(ScannerDifferentialTest.adversarial(r, 50 + r.nextInt(4000)));
      }
    }
    texts.addAll(scrambledCues(new Random(5), 600));
    return texts;
  }

  private static final String[] PIECES = {
    "Dr. Smith", "MRN 1234567", " St. Mary's HOSPITAL", "Boston MA 02115", "'92", "1/2", "2-3", "SPOKE WITH ANNA",
    "wife mary", "(617) 555-1212", "x1234", "3/4/92", "Élodie Zoë", "ÅSTRÖM", "mc", "rehab", "s/p MI 1992",
    "RN JONES", "called son", "pt's daughter", "O'Brien", "McDonald", "van der Berg", "St", "Ave", "Rd", "Blvd",
    "KARGAS-PT", "DAUGHTER-DISCUSSED", "Mary-Jo's", "JOHNSON'S", "from", "FROM", "to", "transferred from",
    "lives in", "\n", " ", "  ", ".", ";", "-", "/", ":", "'"
  };

  /** Cues, names, places and punctuation in random order: the joins and possessives at every edge. */
  private static List<String> scrambledCues(Random r, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder b = new StringBuilder();
      int pieces = 20 + r.nextInt(200);
      for (int j = 0; j < pieces; j++) {
        b.append(PIECES[r.nextInt(PIECES.length)]);
        if (r.nextInt(3) == 0) {
          b.append(' ');
        }
      }
      out.add(b.toString());
    }
    return out;
  }
}
