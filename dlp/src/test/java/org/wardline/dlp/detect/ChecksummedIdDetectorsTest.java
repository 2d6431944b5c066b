package org.wardline.dlp.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** NPI (Luhn with 80840), DEA (DEA checksum), MBI (CMS format) and payment cards (IIN + Luhn). */
class ChecksummedIdDetectorsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"NPI 1234567893 | 1234567893", "provider 1245319599 seen | 1245319599"})
  void npiWithValidCheckDigit(String text, String expected) {
    assertThat(Detections.of(new NpiDetector(), text)).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"NPI 1234567890", "NPI 3234567893", "NPI 12345678931", "NPI 123456789"})
  void npiRejectsBadCheckDigitPrefixOrLength(String text) {
    assertThat(Detections.of(new NpiDetector(), text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"DEA AB1234563 | AB1234563", "dea# bj6125341 | bj6125341",
      "DEA M91234563 | M91234563"})
  void deaWithValidChecksum(String text, String expected) {
    assertThat(Detections.of(new DeaNumberDetector(), text)).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"DEA AB1234567", "DEA IB1234563", "DEA AB12345634", "DEA A1234563"})
  void deaRejectsBadChecksumOrFirstLetter(String text) {
    assertThat(Detections.of(new DeaNumberDetector(), text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"MBI 1EG4-TE5-MK73 | 1EG4-TE5-MK73", "medicare 1EG4TE5MK73. | 1EG4TE5MK73",
      "9AA0-A00-AA00 | 9AA0-A00-AA00"})
  void mbiInCmsFormat(String text, String expected) {
    assertThat(Detections.of(new MbiDetector(), text)).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0EG4-TE5-MK73", "1SG4-TE5-MK73", "1EG4-TE5-MK7", "1EG4-TE5MK73", "1EGA-TE5-MK73",
      "1EG4-TE5-ML73", "1EG4-TE5-MK73A"})
  void mbiRejectsForbiddenLettersAndShapes(String text) {
    assertThat(Detections.of(new MbiDetector(), text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "card 4111111111111111 | 4111111111111111",
    "card 4111 1111 1111 1111 | 4111 1111 1111 1111",
    "mc 5500-0000-0000-0004 ok | 5500-0000-0000-0004",
    "amex 3782 822463 10005 | 3782 822463 10005",
    "discover 6011111111111117 | 6011111111111117",
    "mc2 2221000000000009 | 2221000000000009",
  })
  void paymentCardsInKnownRangesWithLuhn(String text, String expected) {
    assertThat(Detections.of(new PaymentCardDetector(), text)).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"card 4111111111111112", "card 9111111111111111", "card 4111 1111-1111 1111",
      "card 371111111111111", "card 41111111111111111111"})
  void paymentCardsRejectBadLuhnRangeOrGrouping(String text) {
    assertThat(Detections.of(new PaymentCardDetector(), text)).isEmpty();
  }
}
