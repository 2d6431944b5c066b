package org.wardline.dlp.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.io.input.TeeInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContentExtractorTest {

  private static final String MARKER = "Patient SSN 123-45-6789 seen today";
  private static final ContentExtractor EXTRACTOR = new ContentExtractor(ExtractionLimits.defaults());

  private static ExtractionResult extract(byte[] content) throws IOException {
    return EXTRACTOR.extract(new ByteArrayInputStream(content), Optional.empty());
  }

  static Stream<Arguments> documents() throws IOException {
    return Stream.of(
        Arguments.of("application/pdf", TestDocuments.pdf(MARKER, false)),
        Arguments.of("application/vnd.openxmlformats-officedocument.wordprocessingml.document", TestDocuments.docx(MARKER)),
        Arguments.of("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", TestDocuments.xlsx(MARKER)),
        Arguments.of("application/vnd.openxmlformats-officedocument.presentationml.presentation", TestDocuments.pptx(MARKER)),
        Arguments.of("application/rtf", TestDocuments.rtf(MARKER)),
        Arguments.of("text/html", TestDocuments.html(MARKER)),
        Arguments.of("text/plain", ("id,note\n1," + MARKER + "\n").getBytes(StandardCharsets.UTF_8)),
        Arguments.of("message/rfc822", TestDocuments.eml(MARKER)),
        Arguments.of("application/zip", TestDocuments.zip("note.txt", MARKER.getBytes(StandardCharsets.UTF_8))));
  }

  @ParameterizedTest
  @MethodSource("documents")
  void detectsTypeFromContentAndExtractsText(String expectedType, byte[] content) throws IOException {
    ExtractionResult r = extract(content);
    assertThat(r.type().detected()).isEqualTo(expectedType);
    assertThat(r.status()).isEqualTo(ExtractionStatus.COMPLETE);
    assertThat(r.text()).contains(MARKER);
  }

  @Test
  void plainTextIsExactlyItsDecodedContent() throws IOException {
    String text = "Zoë Müller, DOB 07/22/1992\nSSN 123-45-6789 — caf\u00e9\n";
    ExtractionResult r = extract(text.getBytes(StandardCharsets.UTF_8));
    assertThat(r.text()).isEqualTo(text);
  }

  @Test
  void extractsRecursivelyFromNestedArchivesAndOfficeFilesInside() throws IOException {
    Map<String, byte[]> inner = new LinkedHashMap<>();
    inner.put("letter.docx", TestDocuments.docx("inner docx " + MARKER));
    inner.put("scan.pdf", TestDocuments.pdf("inner pdf text", false));
    byte[] nested = TestDocuments.zip("bundle.zip", TestDocuments.zip(inner));
    ExtractionResult r = extract(nested);
    assertThat(r.status()).isEqualTo(ExtractionStatus.COMPLETE);
    assertThat(r.text()).contains("inner docx " + MARKER).contains("inner pdf text");
    assertThat(r.maxDepth()).isGreaterThanOrEqualTo(2);
    assertThat(r.embeddedTypes()).contains("application/zip", "application/pdf");
  }

  @ParameterizedTest
  @MethodSource("executables")
  void renamedExecutablesAreIdentifiedByContent(byte[] content, String declared, ContentKind kind) throws IOException {
    ExtractionResult r = EXTRACTOR.extract(new ByteArrayInputStream(content), Optional.of(declared));
    assertThat(r.type().kind()).isEqualTo(kind);
    assertThat(r.type().mismatch()).isTrue();
  }

  static Stream<Arguments> executables() {
    return Stream.of(
        Arguments.of(TestDocuments.peExecutable(), "application/pdf", ContentKind.EXECUTABLE),
        Arguments.of(TestDocuments.elfExecutable(), "text/plain", ContentKind.EXECUTABLE),
        Arguments.of(TestDocuments.machOExecutable(), "image/png", ContentKind.EXECUTABLE),
        Arguments.of(TestDocuments.shellScript(), "text/csv", ContentKind.SCRIPT));
  }

  @Test
  void executableHiddenInAZipIsReported() throws IOException {
    ExtractionResult r = extract(TestDocuments.zip("invoice.pdf", TestDocuments.peExecutable()));
    assertThat(r.contains(ContentKind.EXECUTABLE)).isTrue();
    assertThat(r.type().kind()).isEqualTo(ContentKind.ARCHIVE);
  }

  @Test
  void declaredTypeThatMatchesOrIsVaguerIsNoMismatch() throws IOException {
    byte[] docx = TestDocuments.docx(MARKER);
    assertThat(EXTRACTOR.extract(new ByteArrayInputStream(docx), Optional.of("application/zip")).type().mismatch())
        .isFalse();
    assertThat(EXTRACTOR.extract(new ByteArrayInputStream(docx),
        Optional.of("application/vnd.openxmlformats-officedocument.wordprocessingml.document")).type().mismatch())
        .isFalse();
    assertThat(EXTRACTOR.extract(new ByteArrayInputStream(docx), Optional.of("application/pdf")).type().mismatch())
        .isTrue();
    assertThat(EXTRACTOR.extract(new ByteArrayInputStream(docx), Optional.of("not a type")).type().mismatch())
        .isTrue();
  }

  @Test
  void zipBombOfOneGibibyteOfZerosIsRefusedFast() throws IOException {
    byte[] bomb = TestDocuments.zerosZip(1L << 30);
    long start = System.nanoTime();
    ExtractionResult r = extract(bomb);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(r.status()).isEqualTo(ExtractionStatus.LIMIT_EXCEEDED);
    assertThat(r.limit()).contains(LimitKind.EXPANSION_RATIO);
    assertThat(r.unpackedBytes()).isLessThan(1L << 30);
    assertThat(took).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void unpackedSizeLimitStopsLargeArchivesEvenAtModestRatios() throws IOException {
    byte[] random = new byte[3 << 20];
    new Random(7).nextBytes(random);
    ContentExtractor small = new ContentExtractor(ExtractionLimits.defaults().withMaxUnpackedBytes(1 << 20));
    ExtractionResult r = small.extract(new ByteArrayInputStream(TestDocuments.zip("noise.bin", random)), Optional.empty());
    assertThat(r.limit()).contains(LimitKind.UNPACKED_SIZE);
  }

  @Test
  void deeplyNestedArchivesAreRefused() throws IOException {
    byte[] deep = TestDocuments.nestedZip(MARKER.getBytes(StandardCharsets.UTF_8), "note.txt", 12);
    ExtractionResult r = extract(deep);
    assertThat(r.status()).isEqualTo(ExtractionStatus.LIMIT_EXCEEDED);
    assertThat(r.limit()).contains(LimitKind.DEPTH);
    assertThat(r.text()).doesNotContain(MARKER);
  }

  @Test
  void tooManyEntriesAreRefused() throws IOException {
    ContentExtractor small = new ContentExtractor(ExtractionLimits.defaults().withMaxEntries(100));
    ExtractionResult r = small.extract(new ByteArrayInputStream(TestDocuments.manyEntriesZip(500)), Optional.empty());
    assertThat(r.limit()).contains(LimitKind.ENTRIES);
  }

  @Test
  void textBeyondTheLimitIsCutAndReported() throws IOException {
    ContentExtractor small = new ContentExtractor(ExtractionLimits.defaults().withMaxTextChars(1000));
    byte[] big = "a".repeat(5000).getBytes(StandardCharsets.US_ASCII);
    ExtractionResult r = small.extract(new ByteArrayInputStream(big), Optional.empty());
    assertThat(r.limit()).contains(LimitKind.TEXT_SIZE);
    assertThat(r.text()).hasSize(1000);
    ExtractionResult html = small.extract(new ByteArrayInputStream(TestDocuments.html("b".repeat(5000))), Optional.empty());
    assertThat(html.limit()).contains(LimitKind.TEXT_SIZE);
  }

  @Test
  void encryptedZipAndPdfAreReportedAsEncrypted() throws IOException {
    ExtractionResult zip = extract(TestDocuments.encryptedFlagZip("secret.txt", MARKER.getBytes(StandardCharsets.UTF_8)));
    assertThat(zip.status()).isEqualTo(ExtractionStatus.ENCRYPTED);
    ExtractionResult pdf = extract(TestDocuments.pdf(MARKER, true));
    assertThat(pdf.status()).isEqualTo(ExtractionStatus.ENCRYPTED);
    assertThat(pdf.text()).doesNotContain(MARKER);
  }

  @Test
  void truncatedAndGarbageInputGiveTypedResultsNotExceptions() throws IOException {
    byte[] docx = TestDocuments.docx(MARKER);
    assertThat(extract(TestDocuments.truncated(docx, docx.length / 2)).status()).isEqualTo(ExtractionStatus.CORRUPT);
    byte[] pdf = TestDocuments.pdf(MARKER, false);
    assertThat(extract(TestDocuments.truncated(pdf, 300)).status()).isEqualTo(ExtractionStatus.CORRUPT);
    byte[] garbage = new byte[10_000];
    new Random(1).nextBytes(garbage);
    ExtractionResult r = extract(garbage);
    assertThat(r.type().detected()).isEqualTo("application/octet-stream");
    assertThat(r.text()).isEmpty();
  }

  @Test
  void aPdfCutShortIsCorruptEvenWhenPdfBoxRepairsIt() throws IOException {
    byte[] pdf = TestDocuments.pdf(MARKER, false);
    assertThat(extract(pdf).status()).isEqualTo(ExtractionStatus.COMPLETE);
    for (int keep : new int[] {pdf.length / 2, pdf.length * 3 / 4, pdf.length - 7}) {
      assertThat(extract(TestDocuments.truncated(pdf, keep)).status()).as("%d of %d bytes", keep, pdf.length)
          .isEqualTo(ExtractionStatus.CORRUPT);
    }
    byte[] cutInZip = TestDocuments.zip("cut.pdf", TestDocuments.truncated(pdf, pdf.length * 3 / 4));
    assertThat(extract(cutInZip).status()).as("inside an archive").isEqualTo(ExtractionStatus.CORRUPT);
    assertThat(extract(TestDocuments.zip("whole.pdf", pdf)).status()).isEqualTo(ExtractionStatus.COMPLETE);
  }

  @Test
  void aZipEntryInACodecThatIsNotOnTheClassPathIsCorruptNotAnError() throws IOException {
    // found by ExtractorsFuzzTest: compression method 93 (Zstandard) made commons-compress throw NoClassDefFoundError
    byte[] zstdEntry = java.util.Base64.getDecoder().decode("UEsDBBQAAAAIANsKh10bH3qEIgAAACQAAAAIAAAAbm90ZS50eHRLySxOzkgs"
        + "Sk9VyMsvSdUBkRmZeekKmSmpeSWZaZVANhcAUEsDBBQAAAQUAAAACADbCoddgxbcjAMAAAABAAAADQAAAC4uL2VzY2FwZQgAAQAAHgAAgAEA"
        + "ABIAbm90ZS50eHRQS3YAAAAAAA==");
    ExtractionResult r = extract(zstdEntry);
    assertThat(r.status()).isEqualTo(ExtractionStatus.CORRUPT);
  }

  @Test
  void pathTraversalEntryNamesAreFlagged() throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("../../etc/cron.d/job", "x".getBytes(StandardCharsets.US_ASCII));
    entries.put("ok.txt", MARKER.getBytes(StandardCharsets.UTF_8));
    ExtractionResult r = extract(TestDocuments.zip(entries));
    assertThat(r.suspiciousEntryNames()).isTrue();
    assertThat(r.text()).contains(MARKER);
    assertThat(extract(TestDocuments.zip("a/b.txt", new byte[] {'x'})).suspiciousEntryNames()).isFalse();
  }

  @Test
  void readsTheInputToItsEndSoATeeSeesEveryByte() throws IOException {
    byte[] pdf = TestDocuments.pdf(MARKER, false);
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    try (InputStream tee = new TeeInputStream(new ByteArrayInputStream(pdf), copy)) {
      EXTRACTOR.extract(tee, Optional.empty());
    }
    assertThat(copy.toByteArray()).isEqualTo(pdf);
  }

  @Test
  void aFailingInputStreamIsAnIoErrorNotACorruptDocument() {
    InputStream failing = new InputStream() {
      private int n;

      @Override
      public int read() throws IOException {
        if (n++ > 100) {
          throw new IOException("connection reset");
        }
        return 'a';
      }
    };
    assertThatThrownBy(() -> EXTRACTOR.extract(failing, Optional.empty())).isInstanceOf(IOException.class)
        .hasMessageContaining("connection reset");
  }
}
