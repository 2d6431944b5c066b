package org.wardline.dlp.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PersonNameDetectorTest {

  private static final PersonNameDetector DETECTOR = new PersonNameDetector(NameDictionary.standard());

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "Spoke with Dr. Okonkwo re: labs | Okonkwo",
    "Pt John Smith admitted | John Smith",
    "husband Rose at bedside | Rose",
    "MRS. BROWN CALLED | BROWN",
    "PT MARY JOHNSON AMBULATED | MARY JOHNSON",
    "Report given to Margaret RN | Margaret",
    "SEEN BY LOWE MD ON ROUNDS | LOWE",
    "Discussed with daughter, Jennifer, who agrees | Jennifer",
    "Seen with Elizabeth A. Walker today | Elizabeth A. Walker",
    "Mr. O'Brien's wife called | O'Brien",
  })
  void namesWithCuesDictionaryAndCaps(String text, String expected) {
    assertThat(Detections.of(DETECTOR, text)).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "Will continue to monitor", "PT WILL AMBULATE WITH ASSIST", "Brown stool noted", "Na 136, K 4.1",
    "PT TOLERATED DIET", "with Wife. Discharge summary faxed", "ED visit last night", "Mark site w/ skin marker",
    "Springfield, MD 21201", "pt ambulated in hall"
  })
  void notNames(String text) {
    assertThat(Detections.of(DETECTOR, text)).isEmpty();
  }
}
