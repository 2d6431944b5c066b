package org.wardline.dlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.dlp.extract.TestDocuments;
import picocli.CommandLine;

class DlpScanCommandTest {

  private static final Pattern LINE = Pattern.compile(
      "\\{\"file\":\"((?:[^\"\\\\]|\\\\.)*)\",\"category\":\"([A-Z_0-9]+)\",\"start\":(\\d+),\"end\":(\\d+),"
          + "\"detector\":\"([a-z0-9-]+)\",\"confidence\":(\\d\\.\\d\\d)\\}");

  record Line(String file, String category, int start, int end, String detector, double confidence) {}

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

  private static List<Line> parse(String jsonl) {
    List<Line> lines = new ArrayList<>();
    for (String l : jsonl.split("\n")) {
      if (l.isBlank()) {
        continue;
      }
      Matcher m = LINE.matcher(l);
      assertThat(m.matches()).as("JSON line: %s", l).isTrue();
      lines.add(new Line(m.group(1).replace("\\\\", "\\"), m.group(2), Integer.parseInt(m.group(3)),
          Integer.parseInt(m.group(4)), m.group(5), Double.parseDouble(m.group(6))));
    }
    return lines;
  }

  @Test
  void jsonlOffsetsPointAtThePlantedValuesInPlainText(@TempDir Path dir) throws IOException {
    String text = "Caf\u00e9 note \uD83D\uDE00 for pt. SSN 123-45-6789, email jane.doe@example.org, "
        + "call (312) 555-0187.\nDOB 07/22/1992\n";
    Path notes = Files.createDirectories(dir.resolve("ward 4").resolve("notes"));
    Path file = notes.resolve("note.txt");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Files.write(dir.resolve("letter.docx"), TestDocuments.docx("MRN: 00123456"));
    Files.writeString(dir.resolve("clean.txt"), "nothing to see here\n");

    Run r = run("scan", "--jsonl", dir.toString());
    assertThat(r.exit()).isEqualTo(DlpScanCommand.PHI_FOUND);
    List<Line> lines = parse(r.out());
    List<Line> inNote = lines.stream().filter(l -> l.file().equals(file.toString())).toList();
    assertThat(inNote).extracting(Line::category).contains("SSN", "EMAIL", "PHONE", "DATE");
    for (Line l : inNote) {
      String value = text.substring(l.start(), l.end());
      switch (l.category()) {
        case "SSN" -> assertThat(value).isEqualTo("123-45-6789");
        case "EMAIL" -> assertThat(value).isEqualTo("jane.doe@example.org");
        case "PHONE" -> assertThat(value).isEqualTo("(312) 555-0187");
        case "DATE" -> assertThat(value).isEqualTo("07/22/1992");
        default -> { }
      }
    }
    assertThat(lines).anyMatch(l -> l.file().endsWith("letter.docx") && l.category().equals("MRN"));
    assertThat(lines).noneMatch(l -> l.file().endsWith("clean.txt"));
  }

  @Test
  void humanSummaryCountsCategoriesButNeverPrintsMatchedText(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a.txt"), "SSN 123-45-6789 and 078-05-1120, jane.doe@example.org");
    Run r = run("scan", dir.toString());
    assertThat(r.out()).contains("a.txt (text/plain): 3 findings: SSN=2, EMAIL=1");
    assertThat(r.out()).doesNotContain("123-45-6789").doesNotContain("jane.doe");
  }

  @Test
  void truncatedAndEncryptedPdfsExitThree(@TempDir Path dir) throws IOException {
    byte[] pdf = TestDocuments.pdf("Discharge summary", false);
    Files.write(dir.resolve("cut.pdf"), TestDocuments.truncated(pdf, pdf.length * 3 / 4));
    Run cut = run("scan", dir.toString());
    assertThat(cut.exit()).as("content that cannot be parsed was not inspected").isEqualTo(DlpScanCommand.INCOMPLETE);
    assertThat(cut.err()).contains("cut.pdf: not fully scanned: CORRUPT");
    Files.delete(dir.resolve("cut.pdf"));
    Files.write(dir.resolve("locked.pdf"), TestDocuments.pdf("Discharge summary", true));
    Run locked = run("scan", dir.toString());
    assertThat(locked.exit()).isEqualTo(DlpScanCommand.INCOMPLETE);
    assertThat(locked.err()).contains("locked.pdf: not fully scanned: ENCRYPTED");
    Files.delete(dir.resolve("locked.pdf"));
    Files.write(dir.resolve("whole.pdf"), pdf);
    assertThat(run("scan", dir.toString()).exit()).isEqualTo(DlpScanCommand.NO_PHI);
  }

  @Test
  void cleanFilesExitZeroAndIncompleteOnesExitThree(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("clean.txt"), "nothing to see here\n");
    assertThat(run("scan", dir.toString()).exit()).isEqualTo(DlpScanCommand.NO_PHI);
    Files.write(dir.resolve("secret.zip"), TestDocuments.encryptedFlagZip("a.txt", "x".getBytes(StandardCharsets.UTF_8)));
    Run r = run("scan", dir.toString());
    assertThat(r.exit()).isEqualTo(DlpScanCommand.INCOMPLETE);
    assertThat(r.err()).contains("secret.zip: not fully scanned: ENCRYPTED");
    assertThat(run("scan", dir.resolve("missing").toString()).exit()).isEqualTo(DlpScanCommand.INCOMPLETE);
  }

  @Test
  void helpDocumentsExitCodesAndUsageErrorsExitTwo() {
    Run help = run("scan", "--help");
    assertThat(help.out()).contains("Exit codes:").contains("PHI was found").contains("--jsonl");
    assertThat(run("scan").exit()).isEqualTo(2);
  }

  @Test
  void scansThousandsOfFilesInOneRun(@TempDir Path dir) throws IOException {
    for (int i = 0; i < 2000; i++) {
      Path sub = Files.createDirectories(dir.resolve("d" + (i % 20)));
      Files.writeString(sub.resolve("n" + i + ".txt"), "note " + i + " pt seen, SSN 123-45-" + String.format("%04d", i + 1));
    }
    Run r = run("scan", "--jsonl", dir.toString());
    assertThat(r.exit()).isEqualTo(DlpScanCommand.PHI_FOUND);
    assertThat(parse(r.out())).filteredOn(l -> l.category().equals("SSN")).hasSize(2000);
  }

  @Test
  void jsonStringsAreEscaped() {
    assertThat(Json.string("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
  }
}
