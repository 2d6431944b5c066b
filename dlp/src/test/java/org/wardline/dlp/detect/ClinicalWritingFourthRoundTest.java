package org.wardline.dlp.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fourth round of clinical-writing cues (issue #17): hospital abbreviations by their "-MC" shape, a
 * state's postal code before "Hospital", the town after "<hospital word> in", a nursing agency's name, a
 * state that is also a census surname, countries (not Safe Harbor PHI), eponyms, initials and old years. Sentences written for these tests; the names and places are made up.
 */
class ClinicalWritingFourthRoundTest {

  private static final PhiScanner SCANNER = PhiScanner.standard();

  private static List<String> found(String text, PhiCategory category) {
    return SCANNER.scan(text).stream().filter(f -> f.category() == category)
        .map(f -> text.substring(f.start(), f.end())).toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "PT MAY BE W/U BY KVMC FOR POSSIBLE TRANSPLANT | KVMC",
    "seen by qrmc cardiology, echo pending | qrmc",
    "Pt admitted from NH Hospital at 1900. | NH Hospital",
    "came by ambulance from the VA in Tolkston this am | Tolkston",
    "rehab in Marrowfield was full | Marrowfield",
    "TO MEET S. BRAVOTTI NURSING AGENCY TOMORROW | BRAVOTTI NURSING AGENCY",
    "PMHX: Pt admitted to U Maryland ER w/ chest pain | U Maryland",
    "FOUND AT HOME IN TOWSON MILL BY EMS | TOWSON MILL",
  })
  void placesByTheirShape(String text, String place) {
    assertThat(found(text, PhiCategory.LOCATION)).contains(place);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "PMHX: Pt admitted to U Maryland ER w/ chest pain",
    "lives in Maryland with her son",
  })
  void aStateIsNotAName(String text) {
    assertThat(found(text, PhiCategory.PERSON_NAME)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "home care agency set up for next week",
    "SEEN BY MD. Hospital course uneventful",
    "lives in the hospital in January",
    "stayed in hospital in Trendelenburg",
    "HR 88 MC 2 CM, NO EDEMA",
    "there was a question of wilson's disease.",
    "stool sent; towson tubes not in unit",
  })
  void clinicalProseStaysClean(String text) {
    assertThat(found(text, PhiCategory.LOCATION)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "She is going to Bermuda early tomorrow am",
    "Social: Pt's wife called from Bermuda, updated by RN.",
    "REMAINS NSR W 1 6 BT RUN VT.",
    "4 LARGE LIQ GREEN STOOLS",
  })
  void countriesAndCountsAreNotPhi(String text) {
    assertThat(SCANNER.scan(text)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "retired, lives in Bermuda Dunes with wife | Bermuda Dunes",
    "moved here from Jordan last year | Jordan",
  })
  void aTownOrNameThatStartsLikeACountryStays(String text, String found) {
    assertThat(SCANNER.scan(text)).extracting(f -> text.substring(f.start(), f.end())).contains(found);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "lives alone, daughter pat lives close by | pat",
    "pmicu nursing progress mr K remained on same doses | K",
    "Mrs. J is resting comfortably | J",
  })
  void namesThatLookLikeOtherWords(String text, String name) {
    assertThat(found(text, PhiCategory.PERSON_NAME)).contains(name);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "daughter pat. pt is resting",
    "mr B. Kellerman aware",
    "DR K AWARE",
  })
  void noInitialOrAbbreviationTakenAlone(String text) {
    assertThat(found(text, PhiCategory.PERSON_NAME)).doesNotContain("pat", "K", "B");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "she stated march 21, 1874 then corrected herself | 1874",
    "born Jan 3, 1899. | 1899",
  })
  void anOldYearOfAFullDate(String text, String year) {
    assertThat(found(text, PhiCategory.DATE)).contains(year);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "BP 120/80, 1850 ml out",
    "diet 1800 cal ADA",
    "HR 90, 1875 total",
  })
  void anOldYearNeedsAFullDate(String text) {
    assertThat(found(text, PhiCategory.DATE)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "wean off vent, family meeting 061548 | 061548",
    "DISCHARGED 103199 TO REHAB | 103199",
  })
  void sixDigitsThatReadAsMonthDayYear(String text, String date) {
    assertThat(found(text, PhiCategory.DATE)).contains(date);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "plt 112000 this am",
    "heparin 120000 units total",
    "zone 139900 cells",
    "count 102399 today",
    "ratio 1.103199 stable",
  })
  void sixDigitCountsAreNotDates(String text) {
    assertThat(found(text, PhiCategory.DATE)).isEmpty();
  }
}
