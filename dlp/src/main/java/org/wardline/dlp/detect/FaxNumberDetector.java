package org.wardline.dlp.detect;

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
    NanpNumbers.scan(text, (m, confidence) -> {
      if (NanpNumbers.isFax(text, m.start())) {
        out.accept(finding(m.start(), m.end(), Math.min(1.0, confidence + 0.05)));
      }
    });
  }
}
