package org.wardline.dlp.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The third round of clinical-writing cues (issue #17): census surnames after weak cues, employers named with
 * an organisation word, towns after "lives in", organisation abbreviations before their staff, everyday first
 * names after a relation and before what a visitor does. Sentences written for these tests; the names and
 * places are made up.
 */
class ClinicalWritingThirdRoundTest {

  private static final PhiScanner SCANNER = PhiScanner.standard();

  private static List<String> found(String text, PhiCategory category) {
    return SCANNER.scan(text).stream().filter(f -> f.category() == category)
        .map(f -> text.substring(f.start(), f.end())).toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "map goal above 65 per k brannigan. wires capped | k brannigan",
    "REMAINS ON HEPARIN PER J. OSTROWSKI, FOLLOW PTT | J. OSTROWSKI",
  })
  void aCensusSurnameAfterAnInitialAndAWeakCue(String text, String name) {
    assertThat(found(text, PhiCategory.PERSON_NAME)).contains(name);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "social: works for bramble health, married, 2 kids | bramble health",
    "social hx: lives alone in little torvick, son nearby | little torvick",
    "PT WILL BE SEEN BY KVMC NURSE FOR HOME TEACHING | KVMC",
    "no decisions until QRH attorneys review the papers | QRH",
    "Transferred from U Vermont ER after cath | U Vermont",
    "followed at University of New Mexico for years | University of New Mexico",
  })
  void placesAndOrganisationsByTheirShape(String text, String place) {
    assertThat(found(text, PhiCategory.LOCATION)).contains(place);
  }

  @org.junit.jupiter.api.Test
  void anOrganisationFoundBeforeItsStaffIsFoundAgainInTheNote() {
    String text = "no decisions until QRH attorneys review. Pt asked if she is at QRH now.";
    assertThat(found(text, PhiCategory.LOCATION)).containsExactly("QRH", "QRH");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "SEEN BY ICU NURSE, PACU NURSE CALLED REPORT",
    "lives alone in apartment building, independent in adls",
    "lives in a house with stairs. works for the health department",
    "pt lives alone in senior housing.",
    "Pt is a U of limited means",
  })
  void clinicalProseStaysClean(String text) {
    assertThat(found(text, PhiCategory.LOCATION)).isEmpty();
  }
}
