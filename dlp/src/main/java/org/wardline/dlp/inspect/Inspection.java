package org.wardline.dlp.inspect;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;
import org.wardline.dlp.extract.ExtractionResult;
import org.wardline.dlp.malware.MalwareScanResult;

/**
 * Everything one pass over a file found: its type, extraction status (archives, bombs, encryption), PHI
 * findings as offsets into {@code extraction.text()}, and the malware scan if one ran.
 */
public record Inspection(ExtractionResult extraction, List<Finding> findings, Optional<MalwareScanResult> malware) {

  public Inspection {
    findings = List.copyOf(findings);
  }

  /** Number of findings per category. */
  public Map<PhiCategory, Integer> counts() {
    Map<PhiCategory, Integer> counts = new EnumMap<>(PhiCategory.class);
    for (Finding f : findings) {
      counts.merge(f.category(), 1, Integer::sum);
    }
    return counts;
  }

  @Override
  public String toString() {
    return "Inspection[" + extraction + ", counts=" + counts() + ", malware=" + malware + "]";
  }
}
