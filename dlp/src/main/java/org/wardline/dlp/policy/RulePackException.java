package org.wardline.dlp.policy;

import java.util.List;

/** A rule pack that cannot be used; lists every problem found, each with the file and the path inside it. */
public final class RulePackException extends Exception {

  private final List<String> problems;

  public RulePackException(List<String> problems) {
    super("invalid DLP rule pack:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
