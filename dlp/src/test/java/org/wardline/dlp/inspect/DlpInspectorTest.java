package org.wardline.dlp.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.dlp.detect.PhiCategory;
import org.wardline.dlp.detect.PhiScanner;
import org.wardline.dlp.extract.ContentExtractor;
import org.wardline.dlp.extract.ExtractionLimits;
import org.wardline.dlp.extract.ExtractionStatus;
import org.wardline.dlp.extract.TestDocuments;
import org.wardline.dlp.malware.ClamdScanner;
import org.wardline.dlp.malware.MalwareScanResult;
import org.wardline.dlp.malware.MalwareScanner;
import org.wardline.embedded.TestSignatures;
import org.wardline.embedded.junit.ClamdExtension;

class DlpInspectorTest {

  @RegisterExtension
  static final ClamdExtension CLAMD = new ClamdExtension();

  private static final ContentExtractor EXTRACTOR = new ContentExtractor(ExtractionLimits.defaults());
  private static final PhiScanner SCANNER = PhiScanner.standard();

  private static DlpInspector inspector(MalwareScanner malware) {
    return new DlpInspector(EXTRACTOR, SCANNER, Optional.ofNullable(malware));
  }

  @Test
  void onePassGivesTypeFindingsMalwareAndAFullCopy() throws IOException {
    byte[] docx = TestDocuments.docx("Pt John Smith, SSN 123-45-6789, DOB 07/22/1992");
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    ClamdScanner clamd = new ClamdScanner(CLAMD.host(), CLAMD.port(), Duration.ofSeconds(2), Duration.ofSeconds(30));
    Inspection r = inspector(clamd).inspect(new ByteArrayInputStream(docx), Optional.of("application/pdf"), copy);
    assertThat(r.extraction().type().mismatch()).isTrue();
    assertThat(r.extraction().status()).isEqualTo(ExtractionStatus.COMPLETE);
    assertThat(r.counts()).containsEntry(PhiCategory.SSN, 1).containsEntry(PhiCategory.DATE, 1)
        .containsEntry(PhiCategory.PERSON_NAME, 1);
    assertThat(r.malware()).contains(new MalwareScanResult.Clean());
    assertThat(copy.toByteArray()).isEqualTo(docx);
    assertThat(r.toString()).doesNotContain("123-45-6789").doesNotContain("John");
  }

  @Test
  void eicarInAZipIsFoundInTheSamePass() throws IOException {
    byte[] zip = TestDocuments.zip("note.txt", TestSignatures.EICAR.getBytes(StandardCharsets.US_ASCII));
    ClamdScanner clamd = new ClamdScanner(CLAMD.host(), CLAMD.port(), Duration.ofSeconds(2), Duration.ofSeconds(30));
    Inspection r = inspector(clamd).inspect(new ByteArrayInputStream(zip), Optional.empty());
    assertThat(r.malware()).get().isInstanceOf(MalwareScanResult.Infected.class);
    assertThat(r.extraction().type().detected()).isEqualTo("application/zip");
  }

  @Test
  void aScannerThatStopsReadingEarlyIsNeverCleanAndDoesNotStallTheUpload() throws IOException {
    MalwareScanner quitter = in -> {
      try {
        in.readNBytes(10);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return new MalwareScanResult.Clean();
    };
    byte[] big = "SSN 123-45-6789 ".repeat(400_000).getBytes(StandardCharsets.US_ASCII);
    Inspection r = inspector(quitter).inspect(new ByteArrayInputStream(big), Optional.empty());
    assertThat(r.malware()).get().matches(m -> !m.isClean());
    assertThat(r.extraction().text()).hasSize(big.length);
  }

  @Test
  void withoutAScannerThereIsNoMalwareResult() throws IOException {
    InputStream in = new ByteArrayInputStream("hello".getBytes(StandardCharsets.US_ASCII));
    assertThat(inspector(null).inspect(in, Optional.empty()).malware()).isEmpty();
  }
}
