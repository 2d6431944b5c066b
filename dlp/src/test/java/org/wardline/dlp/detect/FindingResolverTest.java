package org.wardline.dlp.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FindingResolverTest {

  private static Finding f(PhiCategory c, int s, int e, double conf) {
    return new Finding(c, s, e, c.name().toLowerCase(), conf);
  }

  @Test
  void overlappingFindingsOfOneCategoryMergeIntoTheirUnion() {
    List<Finding> out = FindingResolver.resolve(List.of(f(PhiCategory.DATE, 0, 5, 0.7), f(PhiCategory.DATE, 3, 10, 0.9)));
    assertThat(out).containsExactly(new Finding(PhiCategory.DATE, 0, 10, "date", 0.9));
  }

  @Test
  void acrossCategoriesTheStrongerWins() {
    List<Finding> out = FindingResolver.resolve(List.of(f(PhiCategory.NPI, 10, 20, 0.55), f(PhiCategory.PHONE, 10, 20, 0.9)));
    assertThat(out).extracting(Finding::category).containsExactly(PhiCategory.PHONE);
  }

  @Test
  void aConfidentContainerBeatsAStrongerFindingInsideIt() {
    List<Finding> out = FindingResolver.resolve(
        List.of(f(PhiCategory.STREET_ADDRESS, 0, 30, 0.85), f(PhiCategory.PERSON_NAME, 5, 15, 0.95)));
    assertThat(out).extracting(Finding::category).containsExactly(PhiCategory.STREET_ADDRESS);
  }

  @Test
  void resultIsSortedAndFreeOfOverlaps() {
    List<Finding> out = FindingResolver.resolve(List.of(f(PhiCategory.EMAIL, 40, 50, 0.9), f(PhiCategory.SSN, 0, 11, 0.9),
        f(PhiCategory.PHONE, 8, 20, 0.8), f(PhiCategory.DATE, 25, 30, 0.9)));
    assertThat(out).extracting(Finding::category).containsExactly(PhiCategory.SSN, PhiCategory.DATE, PhiCategory.EMAIL);
  }

  @Test
  void findingsRejectEmptyOrNegativeSpans() {
    assertThatThrownBy(() -> f(PhiCategory.SSN, 5, 5, 0.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> f(PhiCategory.SSN, -1, 5, 0.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> f(PhiCategory.SSN, 0, 5, 1.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
