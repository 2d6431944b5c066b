package org.wardline.dlp.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns raw, possibly overlapping findings into a sorted list without overlaps. Overlapping findings of one
 * category merge into their union (highest confidence kept, detector of the stronger one). Across
 * categories, a confident finding that contains another wins (an address containing a street named after a
 * person, a URL containing an IP address); otherwise the stronger finding wins (confidence, then length, then
 * the category listed first in {@link PhiCategory}, which puts checksummed identifiers ahead of looser ones).
 */
public final class FindingResolver {

  /** By start, then longest first: one comparator object, so the sorts' call site stays monomorphic. */
  private static final Comparator<Finding> BY_START_LONGEST_FIRST = (a, b) -> a.start() != b.start()
      ? Integer.compare(a.start(), b.start()) : Integer.compare(b.end(), a.end());
  /** Confidence, then length, then the category listed first: written out, so no key is boxed per comparison. */
  private static int strength(Finding a, Finding b) {
    int c = Double.compare(a.confidence(), b.confidence());
    if (c != 0) {
      return c;
    }
    c = Integer.compare(a.length(), b.length());
    return c != 0 ? c : Integer.compare(b.category().ordinal(), a.category().ordinal());
  }

  private FindingResolver() {}

  public static List<Finding> resolve(List<Finding> raw) {
    if (raw.size() <= 1) {
      return List.copyOf(raw);
    }
    List<Finding> sorted = new ArrayList<>(raw);
    sorted.sort(BY_START_LONGEST_FIRST);
    List<Finding> merged = mergeSameCategory(sorted);
    return dropWeakerOverlaps(merged);
  }

  private static List<Finding> mergeSameCategory(List<Finding> sorted) {
    List<Finding> out = new ArrayList<>(sorted.size());
    // last open finding per category, so interleaved categories still merge
    Finding[] open = new Finding[PhiCategory.values().length];
    int[] openIndex = new int[open.length];
    for (Finding f : sorted) {
      int c = f.category().ordinal();
      Finding o = open[c];
      if (o != null && f.start() < o.end()) {
        Finding stronger = f.confidence() > o.confidence() ? f : o;
        Finding union = new Finding(f.category(), o.start(), Math.max(o.end(), f.end()), stronger.detector(),
            Math.max(o.confidence(), f.confidence()));
        out.set(openIndex[c], union);
        open[c] = union;
      } else {
        open[c] = f;
        openIndex[c] = out.size();
        out.add(f);
      }
    }
    out.sort(BY_START_LONGEST_FIRST);
    return out;
  }

  private static final double CONTAINER_CONFIDENCE = 0.8;

  private static boolean wins(Finding f, Finding other) {
    if (contains(f, other) && f.length() > other.length() && f.confidence() >= CONTAINER_CONFIDENCE) {
      return true;
    }
    if (contains(other, f) && other.length() > f.length() && other.confidence() >= CONTAINER_CONFIDENCE) {
      return false;
    }
    return strength(f, other) > 0;
  }

  private static boolean contains(Finding outer, Finding inner) {
    return outer.start() <= inner.start() && inner.end() <= outer.end();
  }

  private static List<Finding> dropWeakerOverlaps(List<Finding> sorted) {
    List<Finding> kept = new ArrayList<>(sorted.size());
    for (Finding f : sorted) {
      boolean add = true;
      // only the tail of kept can overlap f, since kept is sorted by start and has no overlaps
      while (!kept.isEmpty() && kept.get(kept.size() - 1).overlaps(f)) {
        Finding last = kept.get(kept.size() - 1);
        if (wins(f, last)) {
          kept.remove(kept.size() - 1);
        } else {
          add = false;
          break;
        }
      }
      if (add) {
        kept.add(f);
      }
    }
    return List.copyOf(kept);
  }
}
