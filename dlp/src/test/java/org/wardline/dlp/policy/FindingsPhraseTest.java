package org.wardline.dlp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FindingsPhraseTest {

  private static Verdict.Reason phi(String category, int count) {
    return new Verdict.Reason("phi." + category, count, Decision.REQUIRE_JUSTIFICATION);
  }

  @Test
  void countsEachCategoryInWordsAPersonReads() {
    Verdict v = new Verdict(Decision.REQUIRE_JUSTIFICATION,
        List.of(phi("DATE", 3), phi("PERSON_NAME", 2), phi("MRN", 1), phi("LOCATION", 1), phi("EMAIL", 2)));
    assertThat(FindingsPhrase.of(v)).contains(
        "1 medical record number, 2 email addresses, 3 dates, 2 names, 1 hospital or town");
  }

  @Test
  void contentAndMalwareReasonsAndUnknownCodesAreLeftOut() {
    Verdict v = new Verdict(Decision.BLOCK, List.of(new Verdict.Reason("content.executable", 1, Decision.BLOCK),
        new Verdict.Reason("phi.SOMETHING_NEW", 4, Decision.TAG)));
    assertThat(FindingsPhrase.of(v)).isEmpty();
  }
}
