package org.wardline.dlp.detect.legacy;

import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;

import java.util.function.Consumer;

/** US/Canada numbers introduced as fax numbers ("fax", "fx", "F:" just before). */
public final class FaxNumberDetector implements PhiDetector {

  @Override
  public String name() {
    return "fax";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.FAX;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    for (NanpNumbers.Number n : NanpNumbers.numbers(text)) {
      if (NanpNumbers.isFax(text, n.start())) {
        out.accept(finding(n.start(), n.end(), Math.min(1.0, n.confidence() + 0.05)));
      }
    }
  }
}
