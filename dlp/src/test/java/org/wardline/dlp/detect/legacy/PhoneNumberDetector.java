package org.wardline.dlp.detect.legacy;

import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;

import java.util.function.Consumer;

/** US/Canada telephone numbers that are not introduced as fax numbers. */
public final class PhoneNumberDetector implements PhiDetector {

  @Override
  public String name() {
    return "phone";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.PHONE;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    for (NanpNumbers.Number n : NanpNumbers.numbers(text)) {
      if (!NanpNumbers.isFax(text, n.start())) {
        out.accept(finding(n.start(), n.end(), n.confidence()));
      }
    }
  }
}
