package org.wardline.dlp.detect;

import java.util.ArrayList;
import java.util.List;

/** Test helper: what a detector reports, as the covered substrings. */
final class Detections {

  private Detections() {}

  static List<String> of(PhiDetector detector, String text) {
    List<Finding> findings = new ArrayList<>();
    detector.detect(new ScanText(text), findings::add);
    List<String> out = new ArrayList<>();
    for (Finding f : FindingResolver.resolve(findings)) {
      if (f.category() != detector.category() || !f.detector().equals(detector.name())) {
        throw new AssertionError("detector reported a foreign category or name: " + f);
      }
      out.add(text.substring(f.start(), f.end()));
    }
    return out;
  }
}
