package org.wardline.dlp.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SsnDetectorTest {

  private final SsnDetector detector = new SsnDetector();

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "SSN 123-45-6789 on file | 123-45-6789",
    "ss# 123456789 | 123456789",
    "Social Security: 078 05 1120 | 078 05 1120",
    "id 899-99-9999. | 899-99-9999",
  })
  void findsIssuableNumbers(String text, String expected) {
    assertThat(Detections.of(detector, text)).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "SSN 000-12-3456", "SSN 666-12-3456", "SSN 900-12-3456", "SSN 999-12-3456", "SSN 123-00-4567",
    "SSN 123-45-0000", "order 123456789", "123-45-67890", "1123-45-6789", "123-45 6789"
  })
  void rejectsNeverIssuedAndMalformedNumbers(String text) {
    assertThat(Detections.of(detector, text)).isEmpty();
  }
}
