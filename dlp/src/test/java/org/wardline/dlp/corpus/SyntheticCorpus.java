package org.wardline.dlp.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import net.datafaker.Faker;
import org.wardline.dlp.detect.PhiCategory;

/**
 * Generates the labelled synthetic corpus (fixed seeds, so it is reproducible) and reads it back.
 *
 * <p>Two sets: {@code main} (nursing and progress-note sentences, English names) and {@code heldout} (other
 * templates and layouts, names mostly from German, French, Italian and Spanish locales). Files, under
 * {@code src/test/resources/corpus/}: {@code SET.notes} holds each note between a {@code === note ID} line
 * and a {@code === end} line; {@code SET.labels.tsv} holds {@code id, category, start, end, surface text}.
 *
 * <p>Regenerate with {@code java ... org.wardline.dlp.corpus.SyntheticCorpus dlp/src/test/resources/corpus}.
 */
public final class SyntheticCorpus {

  public static final int MAIN_NOTES = 300;
  public static final int HELD_OUT_NOTES = 120;
  static final long MAIN_SEED = 20260722L;
  static final long HELD_OUT_SEED = 19920722L;

  private SyntheticCorpus() {}

  public static List<LabelledNote> main() {
    Random r = new Random(MAIN_SEED);
    Faker en = new Faker(Locale.US, r);
    return generate("main", MAIN_NOTES, new PhiValues(r, en, List.of(en)), MainTemplates.PHI, MainTemplates.FILLER,
        MainTemplates.RELATIONS, 0.4, false);
  }

  public static List<LabelledNote> heldOut() {
    Random r = new Random(HELD_OUT_SEED);
    Faker en = new Faker(Locale.US, r);
    List<Faker> names = List.of(new Faker(Locale.GERMAN, r), new Faker(Locale.FRENCH, r),
        new Faker(Locale.ITALIAN, r), new Faker(Locale.forLanguageTag("es"), r), en);
    return generate("heldout", HELD_OUT_NOTES, new PhiValues(r, en, names), HeldOutTemplates.PHI,
        HeldOutTemplates.FILLER, HeldOutTemplates.RELATIONS, 0.25, true);
  }

  private static List<LabelledNote> generate(String set, int count, PhiValues v, List<NoteTemplate> phi,
      List<NoteTemplate> filler, List<String> relations, double capsRate, boolean fullNameDoctors) {
    List<LabelledNote> notes = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      String doctor = fullNameDoctors ? v.firstName() + " " + v.lastName() : v.lastName();
      NoteTemplate.Cast cast = new NoteTemplate.Cast(v.firstName(), v.lastName(), v.firstName(), v.lastName(),
          v.pick(relations), v.r.nextBoolean() ? v.firstName() : v.firstName() + " " + v.lastName(), doctor);
      List<NoteTemplate> parts = new ArrayList<>();
      parts.addAll(distinct(phi, v.between(3, 6), v.r));
      parts.addAll(distinct(filler, v.between(2, 5), v.r));
      Collections.shuffle(parts, v.r);
      NoteBuilder b = new NoteBuilder(v.r, 0.03);
      for (NoteTemplate t : parts) {
        t.write(b, v, cast);
      }
      notes.add(b.build(String.format("%s-%04d", set, n + 1), v.r.nextDouble() < capsRate));
    }
    return notes;
  }

  private static List<NoteTemplate> distinct(List<NoteTemplate> all, int k, Random r) {
    List<NoteTemplate> copy = new ArrayList<>(all);
    Collections.shuffle(copy, r);
    return copy.subList(0, Math.min(k, copy.size()));
  }

  public static void write(List<LabelledNote> notes, Path notesFile, Path labelsFile) throws IOException {
    try (Writer w = Files.newBufferedWriter(notesFile, StandardCharsets.UTF_8)) {
      for (LabelledNote note : notes) {
        w.write("=== note " + note.id() + "\n" + note.text() + "\n=== end\n");
      }
    }
    try (Writer w = Files.newBufferedWriter(labelsFile, StandardCharsets.UTF_8)) {
      w.write("id\tcategory\tstart\tend\ttext\n");
      for (LabelledNote note : notes) {
        for (LabelledNote.Span s : note.spans()) {
          w.write(note.id() + "\t" + s.category() + "\t" + s.start() + "\t" + s.end() + "\t"
              + note.text().substring(s.start(), s.end()).replace('\n', ' ') + "\n");
        }
      }
    }
  }

  /** Reads a committed set; checks that every label's surface text is where its offsets say. */
  public static List<LabelledNote> load(String set) {
    Map<String, String> texts = new java.util.LinkedHashMap<>();
    try (BufferedReader r = reader("/corpus/" + set + ".notes")) {
      String id = null;
      StringBuilder text = new StringBuilder();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("=== note ")) {
          id = line.substring(9);
          text.setLength(0);
        } else if (line.equals("=== end")) {
          texts.put(id, text.substring(0, Math.max(0, text.length() - 1)));
        } else {
          text.append(line).append('\n');
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, List<LabelledNote.Span>> spans = new HashMap<>();
    try (BufferedReader r = reader("/corpus/" + set + ".labels.tsv")) {
      r.readLine();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split("\t", 5);
        int start = Integer.parseInt(f[2]);
        int end = Integer.parseInt(f[3]);
        String surface = texts.get(f[0]).substring(start, end).replace('\n', ' ');
        if (!surface.equals(f[4])) {
          throw new IllegalStateException("label does not match text in " + f[0] + " at " + start);
        }
        spans.computeIfAbsent(f[0], k -> new ArrayList<>())
            .add(new LabelledNote.Span(PhiCategory.valueOf(f[1]), start, end));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<LabelledNote> notes = new ArrayList<>();
    texts.forEach((id, text) -> notes.add(new LabelledNote(id, text, spans.getOrDefault(id, List.of()))));
    return notes;
  }

  private static BufferedReader reader(String resource) {
    InputStream in = SyntheticCorpus.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("missing corpus resource " + resource);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "dlp/src/test/resources/corpus");
    Files.createDirectories(dir);
    write(main(), dir.resolve("main.notes"), dir.resolve("main.labels.tsv"));
    write(heldOut(), dir.resolve("heldout.notes"), dir.resolve("heldout.labels.tsv"));
  }
}
