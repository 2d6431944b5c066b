package org.wardline.dlp.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The detectors for clinical writing (issue #17), on sentences written for these tests. */
class ClinicalWritingDetectorsTest {

  private static final PhiScanner SCANNER = PhiScanner.standard();

  private static List<String> found(String text, PhiCategory category) {
    return SCANNER.scan(text).stream().filter(f -> f.category() == category)
        .map(f -> text.substring(f.start(), f.end())).toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "PT TRANSFERRED FROM ST AGNES HOSP 7/22, DAUGHTER MARIA AT BEDSIDE | MARIA",
    "seen by dr okafor this am, plan unchanged | okafor",
    "SPOKE WITH HUSBAND-TEODOR ABOUT PLAN | TEODOR",
    "called daughter ysolde re: code status | ysolde",
    "VS STABLE OVERNIGHT.\\nBRONWEN TALLIS, RN | BRONWEN TALLIS",
    "REPORTED TO B. KVARTEK AND MADE AWARE | B. KVARTEK",
    "Drs Ferrandi and Okonjo in to see pt | Ferrandi",
    "pressures low, np zabrinski aware | zabrinski",
  })
  void namesWithCuesInAnyCase(String text, String name) {
    assertThat(found(text.replace("\\n", "\n"), PhiCategory.PERSON_NAME)).contains(name);
  }

  @Test
  void aNameFoundWithACueIsFoundAgainWithoutOne() {
    String text = "Spoke with wife Ilsabet about plan. Ilsabet agrees with DNR.";
    assertThat(found(text, PhiCategory.PERSON_NAME)).containsExactly("Ilsabet", "Ilsabet");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "ADMITTED IN TRANSFER FROM WESTBROOKE HOSPITAL FOR MS CHANGES | WESTBROOKE HOSPITAL",
    "pt taken to dunmoor hosp by ems | dunmoor hosp",
    "lives with wife in Baltimore, retired | Baltimore",
    "family members in San Diego were called | San Diego",
    "social: lives in towson with son | towson",
    "MED-FLIGHTED TO QMC EW FOR CATH | QMC",
  })
  void hospitalsAndTowns(String text, String place) {
    assertThat(found(text, PhiCategory.LOCATION)).contains(place);
  }

  @Test
  void aHospitalNameIsFoundAgainAlone() {
    String text = "TRANSFERRED FROM KELLSWORTH HOSPITAL. AT KELLSWORTH- 2 UNITS PRBC.";
    assertThat(found(text, PhiCategory.LOCATION)).containsExactly("KELLSWORTH HOSPITAL", "KELLSWORTH");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
    "PMH: CAD, S/P MI 1992; CABG | 1992",
    "s/p cabg '95, pacer '96 | '95",
    "echo 8/87 showing EF 20% | 8/87",
    "possible MI in 1980S after chole | 1980S",
    "LITHIUM TOXICITY-9/2/92. ALLERGIES: NKDA | 9/2/92",
    "SUSTAINED A FALL ON 8/10. HYPOTENSIVE | 8/10",
    "in march of 2022 pt was admitted | march of 2022",
    "S/P AVR X2 ON 4/27. NEURO: INTACT | 4/27",
    "last bm on 6/18, tolerating diet | 6/18",
    "echo done 12/16 showed EF 40% | 12/16",
    "pacer placed on 5/8. BP stable | 5/8",
  })
  void yearsAloneAndMonthYear(String text, String date) {
    assertThat(found(text, PhiCategory.DATE)).contains(date);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "wife Carol (201/324/1423) confirms | 201/324/1423",
    "daughter called (201-223-4567) and was updated | 201-223-4567",
    "can be reached at beeper number 55037 | 55037",
    "CONTACT IS SON (127-455-3019). VISITED | 127-455-3019",
    "SOCIAL:SON-DAVE---410 555-0137 & NIECE | 410 555-0137",
  })
  void phoneNumbersInTheFormsPeopleWrite(String text, String phone) {
    assertThat(found(text, PhiCategory.PHONE)).anyMatch(p -> p.contains(phone));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "ON/OFF BED PAN 2-3 TIMES W/OUT RESULTS",
    "HR 12-16 ON 1/2 NS AT 75 CC/HR",
    "PAIN 6/10, MEDICATED",
    "PS 10/5 TOLERATING WELL",
    "TOOK 3/8 OF TRAY, 1/16 TSP",
    "PSV 12/5 X2 HRS, WEANING",
    "15 SEC RUN OF VT, 10u reg SQ GIVEN",
    "MS: OPENS EYES TO VOICE. NO CHANGE BEFORE SHIFT",
    "3 WAY FOLEY IN PLACE, HICKMAN DSG CHANGED",
    "AT 2000 PT GIVEN LASIX, AT 1930 BP 90'S",
    "Plan: cont foley, cont lasix gtt, AM labs pending Sunday",
  })
  void clinicalProseIsNotPhi(String text) {
    assertThat(SCANNER.scan(text)).as(text).isEmpty();
  }

  @Test
  void aDictionaryWordAMillionTimesAndTextWithoutSpacesStayFast() {
    String repeated = "foley ".repeat(1_000_000) + "dr ".repeat(200_000) + "x".repeat(500_000)
        + " hospital".repeat(100_000) + " \u4e2d\u6587\u0645\u0631\u062d\u0628\u0627".repeat(50_000);
    long t0 = System.nanoTime();
    SCANNER.scan(repeated);
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(20);
  }
}
