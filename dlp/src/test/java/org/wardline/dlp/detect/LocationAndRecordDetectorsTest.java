package org.wardline.dlp.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Street addresses, ZIP codes, and the contextual MRN / account / health-plan detectors. */
class LocationAndRecordDetectorsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "lives at 123 Main St with wife | 123 Main St",
    "LIVES AT 4500 N MARTIN LUTHER KING BLVD APT 4B. | 4500 N MARTIN LUTHER KING BLVD APT 4B",
    "at 77 Oak Ridge Road, Springfield, IL 62704 | 77 Oak Ridge Road, Springfield, IL",
    "mail to PO Box 1234 | PO Box 1234",
    "at 9 Elm Court Suite 200 | 9 Elm Court Suite 200",
  })
  void streetAddresses(String text, String expected) {
    assertThat(Detections.of(new StreetAddressDetector(), text)).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gave 20 mg in the drip", "walked 200 ft in hall", "Pt ambulated 200 ft down the hall",
      "2L NC. Pt resting", "room 412 bed 2"})
  void notStreetAddresses(String text) {
    assertThat(Detections.of(new StreetAddressDetector(), text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"Springfield, IL 62704 | 62704", "Austin, Texas 78701-1234 | 78701-1234",
      "zip code: 02139 | 02139", "ref 12345-6789 | 12345-6789"})
  void zipCodesInContext(String text, String expected) {
    assertThat(Detections.of(new ZipCodeDetector(), text)).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"WBC 12345", "gave 50000 units", "in 2015"})
  void bareFiveDigitNumbersAreNotZipCodes(String text) {
    assertThat(Detections.of(new ZipCodeDetector(), text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"MRN: 00123456 | 00123456", "medical record # A1234567 | A1234567",
      "MR# 9876543. | 9876543"})
  void mrnNeedsItsContextWord(String text, String expected) {
    assertThat(Detections.of(ContextualIdDetector.mrn(), text)).containsExactly(expected);
    assertThat(Detections.of(ContextualIdDetector.mrn(), "lot number " + expected)).isEmpty();
  }

  @Test
  void nearestCueDecidesBetweenRecordAndAccountNumbers() {
    String text = "MRN 1234567, acct 7654321";
    PhiScanner scanner = new PhiScanner(List.of(ContextualIdDetector.mrn(), ContextualIdDetector.accountNumber()));
    List<Finding> findings = scanner.scan(text);
    assertThat(findings).extracting(Finding::category)
        .containsExactly(PhiCategory.MRN, PhiCategory.ACCOUNT_NUMBER);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"BCBS member ID XYZ123456789 | XYZ123456789",
      "subscriber id: W12345678A | W12345678A", "Medicaid # 12345678901 | 12345678901"})
  void healthPlanIds(String text, String expected) {
    assertThat(Detections.of(ContextualIdDetector.healthPlanId(), text)).containsExactly(expected);
  }

  @Test
  void organisationsConfigureTheirOwnIdentifierPatterns() {
    ContextualIdDetector custom = new ContextualIdDetector("acme-mrn", PhiCategory.MRN,
        Pattern.compile("ACME-\\d{6}"), List.of("unit record"), 20, 0.9);
    assertThat(Detections.of(custom, "unit record ACME-123456")).containsExactly("ACME-123456");
    assertThat(Detections.of(custom, "ACME-123456")).isEmpty();
    assertThatThrownBy(() -> new ContextualIdDetector("x", PhiCategory.MRN, Pattern.compile("\\d+"), List.of(), 20, 0.9))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
