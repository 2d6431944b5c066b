package org.wardline.dlp.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * BRAT standoff: each {@code name.txt} beside a {@code name.ann} whose text-bound lines read
 * {@code T<n>\t<category> <start> <end>[;<start> <end>...]\t<text>}; other annotation lines (attributes,
 * relations, notes) are ignored. A {@code .txt} without an {@code .ann} is a note without PHI.
 */
public final class BratCorpus {

  private BratCorpus() {}

  /** True when {@code dir} (searched recursively) holds at least one {@code .ann} file. */
  public static boolean recognises(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".ann"));
    }
  }

  public static List<LabelledDocument> read(Path dir) throws IOException, CorpusFormatException {
    List<Path> texts;
    try (Stream<Path> files = Files.walk(dir)) {
      texts = files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".txt")).sorted().toList();
    }
    List<LabelledDocument> out = new ArrayList<>(texts.size());
    for (Path txt : texts) {
      String text = Files.readString(txt, StandardCharsets.UTF_8);
      String name = txt.getFileName().toString();
      Path ann = txt.resolveSibling(name.substring(0, name.length() - 4) + ".ann");
      SpanCollector spans = new SpanCollector();
      if (Files.isRegularFile(ann)) {
        readAnnotations(ann, text, spans);
      }
      out.add(new LabelledDocument(dir.relativize(txt).toString(), text, spans.checkedAgainst(text)));
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path ann : files.filter(p -> p.getFileName().toString().endsWith(".ann")).toList()) {
        String name = ann.getFileName().toString();
        if (!Files.isRegularFile(ann.resolveSibling(name.substring(0, name.length() - 4) + ".txt"))) {
          throw new CorpusFormatException(ann, "no .txt file beside it");
        }
      }
    }
    return out;
  }

  private static void readAnnotations(Path ann, String text, SpanCollector spans)
      throws IOException, CorpusFormatException {
    List<String> lines = Files.readAllLines(ann, StandardCharsets.UTF_8);
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      int lineNo = n + 1;
      if (line.isBlank() || line.charAt(0) != 'T') {
        continue;
      }
      String[] f = line.split("\t", 3);
      if (f.length < 2) {
        throw new CorpusFormatException(ann, lineNo, "expected T<n><TAB><category> <start> <end><TAB><text>");
      }
      int space = f[1].indexOf(' ');
      if (space <= 0) {
        throw new CorpusFormatException(ann, lineNo, "expected <category> <start> <end> after the id");
      }
      String category = f[1].substring(0, space);
      StringBuilder covered = new StringBuilder();
      for (String fragment : f[1].substring(space + 1).split(";")) {
        String[] se = fragment.strip().split(" ");
        if (se.length != 2) {
          throw new CorpusFormatException(ann, lineNo, "expected <start> <end> offsets");
        }
        int start = number(se[0], ann, lineNo);
        int end = number(se[1], ann, lineNo);
        if (end <= start) {
          throw new CorpusFormatException(ann, lineNo, "span " + start + "-" + end + " is empty or reversed");
        }
        if (end > text.length()) {
          throw new CorpusFormatException(ann, lineNo, "span " + start + "-" + end
              + " ends beyond the text (" + text.length() + " chars)");
        }
        if (!covered.isEmpty()) {
          covered.append(' ');
        }
        covered.append(text, start, end);
        spans.add(new GoldSpan(start, end, category), ann, lineNo);
      }
      if (f.length == 3 && !sameIgnoringSpace(f[2], covered)) {
        throw new CorpusFormatException(ann, lineNo, "the annotation's text differs from the .txt at its offsets");
      }
    }
  }

  private static boolean sameIgnoringSpace(String a, CharSequence b) {
    return a.replaceAll("\\s+", " ").strip().equals(b.toString().replaceAll("\\s+", " ").strip());
  }

  private static int number(String s, Path file, int line) throws CorpusFormatException {
    try {
      int v = Integer.parseInt(s);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new CorpusFormatException(file, line, "offset is not a non-negative number");
    }
  }
}
