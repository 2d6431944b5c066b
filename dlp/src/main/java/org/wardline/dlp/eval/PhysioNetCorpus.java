package org.wardline.dlp.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PhysioNet "deid" layout: {@code notes.text} holds records
 * {@code START_OF_RECORD=<patient>||||<note>||||}, the note, {@code ||||END_OF_RECORD}; {@code notes-phi.phrase}
 * one span a line, {@code <patient> <note> <start> <end> <category> <text>}, offsets into the note's text.
 */
public final class PhysioNetCorpus {

  static final String NOTES = "notes.text";
  static final String PHRASES = "notes-phi.phrase";
  private static final String START = "START_OF_RECORD=";
  private static final String END = "||||END_OF_RECORD";

  private PhysioNetCorpus() {}

  /** True when {@code dir} holds this layout's two files. */
  public static boolean recognises(Path dir) {
    return Files.isRegularFile(dir.resolve(NOTES)) && Files.isRegularFile(dir.resolve(PHRASES));
  }

  public static List<LabelledDocument> read(Path dir) throws IOException, CorpusFormatException {
    Path notesFile = dir.resolve(NOTES);
    Map<String, String> notes = readNotes(notesFile);
    Path phraseFile = dir.resolve(PHRASES);
    Map<String, SpanCollector> spans = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(phraseFile, StandardCharsets.UTF_8);
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.isBlank()) {
        continue;
      }
      int lineNo = n + 1;
      String[] f = line.split(" ", 6);
      if (f.length < 5) {
        throw new CorpusFormatException(phraseFile, lineNo,
            "expected <patient> <note> <start> <end> <category> [text]");
      }
      String key = f[0] + "/" + f[1];
      String text = notes.get(key);
      if (text == null) {
        throw new CorpusFormatException(phraseFile, lineNo, "no record for patient " + f[0] + " note " + f[1]
            + " in " + NOTES);
      }
      int start = number(f[2], phraseFile, lineNo);
      int end = number(f[3], phraseFile, lineNo);
      if (end <= start) {
        throw new CorpusFormatException(phraseFile, lineNo, "span " + start + "-" + end + " is empty or reversed");
      }
      if (end > text.length()) {
        throw new CorpusFormatException(phraseFile, lineNo, "span " + start + "-" + end
            + " ends beyond the note's text (" + text.length() + " chars)");
      }
      if (f.length == 6 && !f[5].strip().equals(text.substring(start, end).strip())) {
        throw new CorpusFormatException(phraseFile, lineNo, "the span's text differs from the note at "
            + start + "-" + end + " (offsets of another version of the notes?)");
      }
      spans.computeIfAbsent(key, k -> new SpanCollector()).add(new GoldSpan(start, end, f[4]), phraseFile, lineNo);
    }
    List<LabelledDocument> out = new ArrayList<>(notes.size());
    for (Map.Entry<String, String> e : notes.entrySet()) {
      SpanCollector c = spans.getOrDefault(e.getKey(), new SpanCollector());
      String[] pn = e.getKey().split("/", 2);
      out.add(new LabelledDocument("patient " + pn[0] + " note " + pn[1], e.getValue(), c.checkedAgainst(e.getValue())));
    }
    return out;
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

  /** Notes by "patient/note", in file order; the text runs from after the start line to the end marker. */
  private static Map<String, String> readNotes(Path file) throws IOException, CorpusFormatException {
    String all = Files.readString(file, StandardCharsets.UTF_8);
    Map<String, String> notes = new LinkedHashMap<>();
    int pos = 0;
    int line = 1;
    while (pos < all.length()) {
      int eol = all.indexOf('\n', pos);
      if (eol < 0) {
        eol = all.length();
      }
      String header = all.substring(pos, eol).stripTrailing();
      if (header.isEmpty()) {
        pos = eol + 1;
        line++;
        continue;
      }
      if (!header.startsWith(START)) {
        throw new CorpusFormatException(file, line, "expected " + START + "<patient>||||<note>||||");
      }
      String[] ids = header.substring(START.length()).split("\\|\\|\\|\\|");
      if (ids.length < 2 || ids[0].isBlank() || ids[1].isBlank()) {
        throw new CorpusFormatException(file, line, "expected " + START + "<patient>||||<note>||||");
      }
      String key = ids[0] + "/" + ids[1];
      int textStart = Math.min(all.length(), eol + 1);
      int endMarker = findEndMarker(all, textStart);
      if (endMarker < 0) {
        throw new CorpusFormatException(file, line, "record has no " + END + " line");
      }
      String text = all.substring(textStart, endMarker);
      int nextStart = all.indexOf(START, textStart);
      if (nextStart >= 0 && nextStart < endMarker) {
        throw new CorpusFormatException(file, line, "record has no " + END + " line before the next record");
      }
      if (notes.putIfAbsent(key, text) != null) {
        throw new CorpusFormatException(file, line, "patient " + ids[0] + " note " + ids[1] + " appears twice");
      }
      line += 1 + countLines(text);
      int after = all.indexOf('\n', endMarker);
      pos = after < 0 ? all.length() : after + 1;
      line++;
    }
    return notes;
  }

  private static int findEndMarker(String all, int from) {
    int i = all.indexOf(END, from);
    while (i > from && all.charAt(i - 1) != '\n') {
      i = all.indexOf(END, i + 1);
    }
    return i;
  }

  private static int countLines(String text) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }
}
