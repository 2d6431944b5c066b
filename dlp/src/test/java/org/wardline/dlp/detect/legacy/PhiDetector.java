package org.wardline.dlp.detect.legacy;

import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;

import java.util.function.Consumer;

/**
 * Finds one category of PHI in text. Implementations are immutable and thread-safe: one instance serves
 * every scan. They report offsets only and never keep or log the text.
 */
public interface PhiDetector {

  /** Stable name reported in findings, e.g. {@code "ssn"}. */
  String name();

  PhiCategory category();

  /** Reports every finding in {@code text} to {@code out}, in any order; overlaps are resolved later. */
  void detect(ScanText text, Consumer<Finding> out);

  /** Shorthand for a finding of this detector's category and name. */
  default Finding finding(int start, int end, double confidence) {
    return new Finding(category(), start, end, name(), confidence);
  }
}
