package org.wardline.dlp.policy;

import java.util.EnumMap;
import java.util.Map;
import org.wardline.dlp.detect.PhiCategory;

/**
 * A validated, complete set of DLP rules: a decision for every PHI category and destination, and the content
 * rules. Malware is not configurable: infected content is always blocked.
 *
 * @param name for audit records, e.g. {@code default} or {@code default+org:stmarys+team:oncology}
 * @param minConfidence findings below this confidence are ignored
 */
public record RulePack(
    String name, double minConfidence, Map<PhiCategory, Map<Destination, Decision>> phi, ContentRules content) {

  public RulePack {
    EnumMap<PhiCategory, Map<Destination, Decision>> copy = new EnumMap<>(PhiCategory.class);
    for (PhiCategory c : PhiCategory.values()) {
      Map<Destination, Decision> row = phi.get(c);
      if (row == null || row.size() != Destination.values().length) {
        throw new IllegalArgumentException("rule pack " + name + " has no complete rule for " + c);
      }
      copy.put(c, Map.copyOf(row));
    }
    phi = Map.copyOf(copy);
  }

  public Decision forPhi(PhiCategory category, Destination destination) {
    return phi.get(category).get(destination);
  }
}
