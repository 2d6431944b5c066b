package org.wardline.dlp.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DateAndAgeDetectorsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "seen 7/22 in clinic | 7/22",
    "DOB 07/22/1992 | 07/22/1992",
    "on 7-22-92. | 7-22-92",
    "admitted 1992-07-22 | 1992-07-22",
    "since July 22nd | July 22nd",
    "on July 22, 1992 at | July 22, 1992",
    "DOB 22-Jul-92 | 22-Jul-92",
    "DOB 22-JUL-1992 | 22-JUL-1992",
    "born 22 July 1992 | 22 July 1992",
    "the 22nd of July | 22nd of July",
    "since Sept 3 | Sept 3",
    "in March 1931 | March 1931",
    "DOB: DEC. 1, 1940 | DEC. 1, 1940",
  })
  void datesInManyForms(String text, String expected) {
    assertThat(Detections.of(new DateDetector(), text)).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pain 7/10", "5/5 strength", "BP 132/84", "1/2 tab", "hx of MI in 2015",
      "13/45", "+2/4 pulses", "may 5 mg", "version 1.2.3"})
  void notDates(String text) {
    assertThat(Detections.of(new DateDetector(), text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "Pt is a 92 y/o F | 92", "92yo | 92", "a 101-year-old man | 101", "AGE: 95 | 95", "aged 90 | 90",
    "94 YOF | 94", "93 yrs old | 93", "is 97 years old | 97",
  })
  void agesOver89(String text, String expected) {
    assertThat(Detections.of(new AgeOver89Detector(), text)).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Pt is a 89 y/o F", "67yo", "age 45", "90 mg", "gave 95 units", "for 92 days"})
  void notReportableAges(String text) {
    assertThat(Detections.of(new AgeOver89Detector(), text)).isEmpty();
  }

  /** Written for issue #17 (not from any corpus): the note's first line introduces the patient by a bare age. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "93 s/p fall at home, hip pinned | 93",
    "Nursing note:\\n\\n104 h/o afib on coumadin | 104",
    "'  96 male admitted with urosepsis' | 96",
    "91 F, w/ dementia and CHF | 91",
    "110 WOMAN TRANSFERRED FROM REHAB | 110",
  })
  void bareAgeOpeningALineBeforeTheHistory(String text, String expected) {
    assertThat(Detections.of(new AgeOpeningHistoryDetector(), text.replace("\\n", "\n"))).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"HR 98 s/p bolus", "89 s/p fall", "SBP 95 with fluids", "120 s/p lasix",
      "temp 99 w/ chills", "95 units given", "1995 s/p CABG", "98.6 with tylenol", "-95 s/p"})
  void notAnAgeOpeningALine(String text) {
    assertThat(Detections.of(new AgeOpeningHistoryDetector(), text)).isEmpty();
  }
}
