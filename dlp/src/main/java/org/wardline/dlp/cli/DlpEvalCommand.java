package org.wardline.dlp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.wardline.dlp.detect.PhiScanner;
import org.wardline.dlp.eval.BratCorpus;
import org.wardline.dlp.eval.CorpusFormatException;
import org.wardline.dlp.eval.CorpusScore;
import org.wardline.dlp.eval.CorpusScore.Tally;
import org.wardline.dlp.eval.LabelledDocument;
import org.wardline.dlp.eval.PhysioNetCorpus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dlp eval [--jsonl] [--show-text] CORPUS}: scores the detectors against a labelled corpus, so a
 * hospital can measure them on its own annotated notes. Prints offsets of misses and false alarms, and their
 * text only when asked.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Score the PHI detectors against a labelled corpus: span recall and precision overall and "
        + "per category, per-note rates, and the worst misses and false alarms (as offsets).",
      "CORPUS is a folder in the PhysioNet deid layout (notes.text + notes-phi.phrase) or BRAT standoff "
          + "(name.txt + name.ann, searched recursively)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the corpus was scored",
      "2:invalid command line",
      "3:the corpus could not be read (missing, malformed: the message names the file and line)"})
public final class DlpEvalCommand implements Callable<Integer> {

  static final int SCORED = 0;
  static final int UNREADABLE = 3;

  enum Format { AUTO, PHYSIONET, BRAT }

  @Option(names = "--format", description = "auto (default), physionet or brat.",
      converter = FormatConverter.class)
  Format format = Format.AUTO;

  @Option(names = "--jsonl", description = "One JSON object a line: a \"summary\", one \"category\" per "
      + "labelled and per found category, then \"miss\" and \"false_alarm\" lines.")
  boolean jsonl;

  @Option(names = "--show-text", description = "Also print the text of misses and false alarms. "
      + "It is PHI: use on a screen you may show it on, never in a shared log.")
  boolean showText;

  @Option(names = "--top", description = "Misses and false alarms listed per category (default ${DEFAULT-VALUE}; "
      + "--jsonl lists all).", defaultValue = "8")
  int top;

  @Parameters(arity = "1", paramLabel = "CORPUS", description = "Folder of the labelled corpus.")
  Path corpus;

  @Spec
  CommandLine.Model.CommandSpec spec;

  static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      return Format.valueOf(value.toUpperCase(Locale.ROOT));
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<LabelledDocument> docs;
    String formatName;
    try {
      if (!Files.isDirectory(corpus)) {
        err.println(corpus + ": not a folder");
        return UNREADABLE;
      }
      Format f = format == Format.AUTO ? detect(corpus) : format;
      if (f == null) {
        err.println(corpus + ": neither the PhysioNet layout (notes.text + notes-phi.phrase) nor BRAT (.txt + .ann)");
        return UNREADABLE;
      }
      docs = f == Format.PHYSIONET ? PhysioNetCorpus.read(corpus) : BratCorpus.read(corpus);
      formatName = f.name().toLowerCase(Locale.ROOT);
    } catch (CorpusFormatException e) {
      err.println(e.getMessage());
      return UNREADABLE;
    } catch (IOException e) {
      err.println(corpus + ": cannot read (" + e.getClass().getSimpleName() + ")");
      return UNREADABLE;
    }
    long t0 = System.nanoTime();
    CorpusScore score = CorpusScore.of(docs, PhiScanner.standard());
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, LabelledDocument> byId = new LinkedHashMap<>();
    docs.forEach(d -> byId.put(d.id(), d));
    if (jsonl) {
      printJsonl(out, score, formatName, byId);
    } else {
      printTable(out, score, formatName, seconds, byId);
    }
    out.flush();
    return SCORED;
  }

  private static Format detect(Path dir) throws IOException {
    if (PhysioNetCorpus.recognises(dir)) {
      return Format.PHYSIONET;
    }
    return BratCorpus.recognises(dir) ? Format.BRAT : null;
  }

  private void printTable(PrintWriter out, CorpusScore s, String formatName, double seconds,
      Map<String, LabelledDocument> docs) {
    out.printf(Locale.ROOT, "%s (%s): %d notes, %d labelled spans, %d findings, scanned in %.1f s%n", corpus,
        formatName, s.notes(), s.recall().total(), s.precision().total(), seconds);
    out.println("span recall     " + tally(s.recall()));
    out.println("span precision  " + tally(s.precision()));
    out.println("notes with PHI flagged      " + tally(s.notesWithPhiFlagged()));
    out.println("notes without PHI flagged   " + tally(s.notesWithoutPhiFlagged()));
    out.println();
    out.println("recall by labelled category");
    s.recallByCategory().forEach((c, t) -> out.printf(Locale.ROOT, "  %-22s %s%n", c, tally(t)));
    out.println("precision by found category");
    s.precisionByCategory().forEach((c, t) -> out.printf(Locale.ROOT, "  %-22s %s%n", c, tally(t)));
    out.println();
    out.println("worst misses (note, offsets, labelled category)" + (showText ? "" : "; --show-text for the text"));
    printCapped(out, s.misses(), CorpusScore.Miss::category, m -> "  " + m.document() + " " + m.start() + "-" + m.end()
        + " " + m.category() + text(docs, m.document(), m.start(), m.end()));
    out.println("worst false alarms (note, offsets, found category, detector)");
    printCapped(out, s.falseAlarms(), CorpusScore.FalseAlarm::category, a -> "  " + a.document() + " " + a.start()
        + "-" + a.end() + " " + a.category() + " " + a.detector() + text(docs, a.document(), a.start(), a.end()));
  }

  private <T> void printCapped(PrintWriter out, List<T> items, Function<T, String> category, Function<T, String> line) {
    Map<String, Integer> shown = new LinkedHashMap<>();
    for (T item : items) {
      if (shown.merge(category.apply(item), 1, Integer::sum) <= top) {
        out.println(line.apply(item));
      }
    }
    if (items.isEmpty()) {
      out.println("  none");
    }
  }

  private String text(Map<String, LabelledDocument> docs, String id, int start, int end) {
    if (!showText) {
      return "";
    }
    String t = docs.get(id).text();
    int from = Math.max(0, start - 30);
    int to = Math.min(t.length(), end + 30);
    String context = t.substring(from, start) + "[" + t.substring(start, end) + "]" + t.substring(end, to);
    return "  " + context.replaceAll("\\s+", " ");
  }

  private void printJsonl(PrintWriter out, CorpusScore s, String formatName, Map<String, LabelledDocument> docs) {
    out.println("{\"type\":\"summary\",\"corpus\":" + Json.string(corpus.toString()) + ",\"format\":\"" + formatName
        + "\",\"notes\":" + s.notes() + ",\"recall\":" + json(s.recall()) + ",\"precision\":" + json(s.precision())
        + ",\"notes_with_phi_flagged\":" + json(s.notesWithPhiFlagged()) + ",\"notes_without_phi_flagged\":"
        + json(s.notesWithoutPhiFlagged()) + "}");
    s.recallByCategory().forEach((c, t) -> out.println("{\"type\":\"category\",\"labelled\":" + Json.string(c)
        + ",\"recall\":" + json(t) + "}"));
    s.precisionByCategory().forEach((c, t) -> out.println("{\"type\":\"category\",\"found\":" + Json.string(c)
        + ",\"precision\":" + json(t) + "}"));
    for (CorpusScore.Miss m : s.misses()) {
      out.println("{\"type\":\"miss\",\"note\":" + Json.string(m.document()) + ",\"start\":" + m.start() + ",\"end\":"
          + m.end() + ",\"category\":" + Json.string(m.category()) + jsonText(docs, m.document(), m.start(), m.end())
          + "}");
    }
    for (CorpusScore.FalseAlarm a : s.falseAlarms()) {
      out.println("{\"type\":\"false_alarm\",\"note\":" + Json.string(a.document()) + ",\"start\":" + a.start()
          + ",\"end\":" + a.end() + ",\"category\":\"" + a.category() + "\",\"detector\":" + Json.string(a.detector())
          + jsonText(docs, a.document(), a.start(), a.end()) + "}");
    }
  }

  private String jsonText(Map<String, LabelledDocument> docs, String id, int start, int end) {
    return showText ? ",\"text\":" + Json.string(docs.get(id).text().substring(start, end)) : "";
  }

  private static String tally(Tally t) {
    return String.format(Locale.ROOT, "%.3f  (%d/%d)", t.rate(), t.hit(), t.total());
  }

  private static String json(Tally t) {
    return String.format(Locale.ROOT, "{\"rate\":%.4f,\"hit\":%d,\"total\":%d}", t.rate(), t.hit(), t.total());
  }
}
