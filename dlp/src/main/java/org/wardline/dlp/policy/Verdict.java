package org.wardline.dlp.policy;

import java.util.List;

/**
 * The policy's decision and why. Reasons carry rule codes and counts only, never matched text, so a verdict
 * can be audited and logged as is.
 */
public record Verdict(Decision decision, List<Reason> reasons) {

  public Verdict {
    reasons = List.copyOf(reasons);
  }

  /**
   * One rule that fired.
   *
   * @param code stable code, e.g. {@code phi.SSN}, {@code content.executable}, {@code malware.infected}
   * @param count how many findings of that kind (1 for content rules)
   * @param decision what this rule alone asks for
   */
  public record Reason(String code, int count, Decision decision) {}
}
