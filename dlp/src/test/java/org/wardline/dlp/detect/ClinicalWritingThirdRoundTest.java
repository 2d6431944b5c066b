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
}
