package org.wardline.dlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dlp eval} on tiny corpora the tests write, in both layouts, and on malformed ones. */
class DlpEvalCommandTest {

  /** A note with an SSN (found) and a name the detectors cannot know (missed), and a note with none. */
  private static final String NOTE_1 = "SSN 123-45-6789 on file. Seen by Qzxv.\n";
  private static final String NOTE_2 = "Resting comfortably, no events.\n";
  private static final String NOTE_3 = "Email jane.doe@example.org for results.\n";

  record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = DlpScanCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static Path physioNet(Path dir, String phrases) throws IOException {
    String notes = "START_OF_RECORD=1||||1||||\n" + NOTE_1 + "||||END_OF_RECORD\n"
        + "START_OF_RECORD=1||||2||||\n" + NOTE_2 + "||||END_OF_RECORD\n"
        + "START_OF_RECORD=2||||1||||\n" + NOTE_3 + "||||END_OF_RECORD\n";
    Files.writeString(dir.resolve("notes.text"), notes, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("notes-phi.phrase"), phrases, StandardCharsets.UTF_8);
    return dir;
  }

  private static String span(String note, String value) {
    int s = note.indexOf(value);
    return s + " " + (s + value.length());
  }

  private static String goodPhrases() {
    return "1 1 " + span(NOTE_1, "123-45-6789") + " SSN 123-45-6789\n"
        + "1 1 " + span(NOTE_1, "Qzxv") + " HCPName Qzxv\n";
  }

  @Test
  void scoresThePhysioNetLayoutWithOffsetsButNoText(@TempDir Path dir) throws IOException {
    Run r = run("eval", physioNet(dir, goodPhrases()).toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(DlpEvalCommand.SCORED);
    assertThat(r.out()).contains("3 notes, 2 labelled spans")
        .contains("span recall     0.500  (1/2)")
        .contains("span precision  0.500  (1/2)") // the email is unlabelled here: a false alarm
        .contains("notes with PHI flagged      1.000  (1/1)")
        .contains("notes without PHI flagged   0.500  (1/2)")
        .containsPattern("HCPName\\s+0\\.000  \\(0/1\\)")
        .containsPattern("SSN\\s+1\\.000  \\(1/1\\)")
        .contains("patient 1 note 1 " + span(NOTE_1, "Qzxv").replace(' ', '-') + " HCPName")
        .contains("patient 2 note 1 " + span(NOTE_3, "jane.doe@example.org").replace(' ', '-') + " EMAIL email");
    assertThat(r.out()).doesNotContain("Qzxv").doesNotContain("jane.doe");
  }

  @Test
  void showTextAddsTheTextAndJsonlIsOneObjectALine(@TempDir Path dir) throws IOException {
    physioNet(dir, goodPhrases());
    assertThat(run("eval", "--show-text", dir.toString()).out()).contains("[Qzxv]").contains("[jane.doe@example.org]");
    Run j = run("eval", "--jsonl", dir.toString());
    assertThat(j.exit()).isEqualTo(DlpEvalCommand.SCORED);
    String[] lines = j.out().strip().split("\n");
    assertThat(lines[0]).startsWith("{\"type\":\"summary\"")
        .contains("\"recall\":{\"rate\":0.5000,\"hit\":1,\"total\":2}")
        .contains("\"notes_without_phi_flagged\":{\"rate\":0.5000,\"hit\":1,\"total\":2}");
    assertThat(lines).allMatch(l -> l.startsWith("{\"type\":\"") && l.endsWith("}"));
    assertThat(j.out()).contains("{\"type\":\"miss\",\"note\":\"patient 1 note 1\",\"start\":"
        + NOTE_1.indexOf("Qzxv") + ",\"end\":" + (NOTE_1.indexOf("Qzxv") + 4) + ",\"category\":\"HCPName\"}");
    assertThat(j.out()).doesNotContain("Qzxv");
    assertThat(run("eval", "--jsonl", "--show-text", dir.toString()).out()).contains(",\"text\":\"Qzxv\"}");
  }

  @Test
  void scoresBratStandoffWithNotesWithoutAnnotations(@TempDir Path dir) throws IOException {
    Path sub = Files.createDirectories(dir.resolve("ward"));
    Files.writeString(sub.resolve("a.txt"), NOTE_1);
    Files.writeString(sub.resolve("a.ann"), "T1\tSSN " + span(NOTE_1, "123-45-6789") + "\t123-45-6789\n"
        + "#1\tAnnotatorNotes T1\tchecked\n"
        + "T2\tHCPName " + span(NOTE_1, "Qzxv") + "\tQzxv\n");
    Files.writeString(sub.resolve("b.txt"), NOTE_2);
    Run r = run("eval", dir.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(DlpEvalCommand.SCORED);
    assertThat(r.out()).contains("(brat): 2 notes, 2 labelled spans").contains("span recall     0.500  (1/2)")
        .contains("notes without PHI flagged   0.000  (0/1)")
        .contains("ward/a.txt " + span(NOTE_1, "Qzxv").replace(' ', '-') + " HCPName");
  }

  @Test
  void offsetsBeyondTheTextNameTheLine(@TempDir Path dir) throws IOException {
    physioNet(dir, goodPhrases() + "2 1 30 900 Location x\n");
    Run r = run("eval", dir.toString());
    assertThat(r.exit()).isEqualTo(DlpEvalCommand.UNREADABLE);
    assertThat(r.err()).contains("notes-phi.phrase:3: span 30-900 ends beyond the note's text");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void overlappingSpansNameBothLines(@TempDir Path dir) throws IOException {
    int s = NOTE_1.indexOf("123");
    physioNet(dir, goodPhrases() + "1 1 " + (s + 2) + " " + (s + 5) + " Other\n");
    Run r = run("eval", dir.toString());
    assertThat(r.exit()).isEqualTo(DlpEvalCommand.UNREADABLE);
    assertThat(r.err()).contains("notes-phi.phrase:3: span " + (s + 2) + "-" + (s + 5) + " overlaps the span of line 1");
  }

  @Test
  void otherMalformedPhysioNetFilesNameTheLine(@TempDir Path dir) throws IOException {
    physioNet(dir, "1 1 4 x SSN\n");
    assertThat(run("eval", dir.toString()).err()).contains("notes-phi.phrase:1: offset is not a non-negative number");
    physioNet(dir, "1 9 4 8 SSN\n");
    assertThat(run("eval", dir.toString()).err()).contains("notes-phi.phrase:1: no record for patient 1 note 9");
    physioNet(dir, "\n\n1 1 4 8 SSN 999-\n");
    assertThat(run("eval", dir.toString()).err()).contains("notes-phi.phrase:3: the span's text differs");
    physioNet(dir, "1 1 8 4 SSN\n");
    assertThat(run("eval", dir.toString()).err()).contains("notes-phi.phrase:1: span 8-4 is empty or reversed");
    Files.writeString(dir.resolve("notes.text"), "START_OF_RECORD=1||||1||||\nno end\n"
        + "START_OF_RECORD=1||||2||||\nx\n||||END_OF_RECORD\n");
    assertThat(run("eval", dir.toString()).err()).contains("notes.text:1: record has no ||||END_OF_RECORD line");
    Files.writeString(dir.resolve("notes.text"), "START_OF_RECORD=1||||1||||\na\nb\n||||END_OF_RECORD\ngarbage\n");
    assertThat(run("eval", dir.toString()).err()).contains("notes.text:5: expected START_OF_RECORD=");
  }

  @Test
  void malformedBratFilesNameTheLine(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a.txt"), NOTE_1);
    Files.writeString(dir.resolve("a.ann"), "T1\tSSN 4 15\t123-45-6789\nT2\tHCPName 4 15\tQzxv\n");
    assertThat(run("eval", dir.toString()).err()).contains("a.ann:2: the annotation's text differs");
    Files.writeString(dir.resolve("a.ann"), "T1\tSSN 4 15\t123-45-6789\nT2\tOther 10 12\n");
    assertThat(run("eval", dir.toString()).err()).contains("a.ann:2: span 10-12 overlaps the span of line 1");
    Files.writeString(dir.resolve("a.ann"), "T1\tSSN 4 4000\n");
    assertThat(run("eval", dir.toString()).err()).contains("a.ann:1: span 4-4000 ends beyond the text");
    Files.writeString(dir.resolve("a.ann"), "T1\tSSN\n");
    assertThat(run("eval", dir.toString()).err()).contains("a.ann:1: expected <category> <start> <end>");
    Files.delete(dir.resolve("a.txt"));
    Files.writeString(dir.resolve("b.txt"), NOTE_2);
    Run r = run("eval", dir.toString());
    assertThat(r.exit()).isEqualTo(DlpEvalCommand.UNREADABLE);
    assertThat(r.err()).contains("a.ann: no .txt file beside it");
  }

  @Test
  void aFolderOfNeitherLayoutOrNoFolderIsRefused(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("x.txt"), NOTE_1);
    Run r = run("eval", dir.toString());
    assertThat(r.exit()).isEqualTo(DlpEvalCommand.UNREADABLE);
    assertThat(r.err()).contains("neither the PhysioNet layout");
    assertThat(run("eval", dir.resolve("missing").toString()).err()).contains("not a folder");
    assertThat(run("eval").exit()).isEqualTo(2);
    assertThat(run("eval", "--help").out()).contains("--show-text").contains("BRAT");
  }

  @Test
  void hostileCorpusTextIsScoredInLinearTime(@TempDir Path dir) throws IOException {
    String hostile = "Qzxv".repeat(250_000) + " " + "smith ".repeat(200_000) + "\u4e2d\u6587 \u0645\u0631\u062d\u0628\u0627";
    Files.writeString(dir.resolve("big.txt"), hostile);
    long t0 = System.nanoTime();
    Run r = run("eval", "--format", "brat", dir.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(DlpEvalCommand.SCORED);
    assertThat(r.out()).contains("1 notes, 0 labelled spans");
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30);
  }
}
