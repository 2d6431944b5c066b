package org.wardline.dlp.extract;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Mutable bookkeeping for one extraction: counts against the limits and remembers the first limit hit, so the
 * outcome is known even when Tika wraps or swallows the exception that stopped it.
 */
final class ExtractionBudget {

  final ExtractionLimits limits;
  long inputBytes;
  long unpackedBytes;
  int entries;
  int depth;
  int maxDepthSeen;
  LimitKind exceeded;
  boolean encrypted;
  boolean corrupt;
  boolean suspiciousNames;
  final Set<ContentKind> embeddedKinds = EnumSet.noneOf(ContentKind.class);
  final Set<String> embeddedTypes = new LinkedHashSet<>();

  ExtractionBudget(ExtractionLimits limits) {
    this.limits = limits;
  }

  /** Records the limit (first one wins) and returns the exception to throw. */
  ExtractionLimitException exceed(LimitKind kind) {
    if (exceeded == null) {
      exceeded = kind;
    }
    return new ExtractionLimitException(kind);
  }

  void checkNotStopped() throws ExtractionLimitException {
    if (exceeded != null) {
      throw new ExtractionLimitException(exceeded);
    }
  }

  void addUnpacked(long n) throws ExtractionLimitException {
    unpackedBytes += n;
    if (unpackedBytes > limits.maxUnpackedBytes()) {
      throw exceed(LimitKind.UNPACKED_SIZE);
    }
    if (unpackedBytes > limits.ratioGraceBytes()
        && unpackedBytes > Math.max(1, inputBytes) * limits.maxExpansionRatio()) {
      throw exceed(LimitKind.EXPANSION_RATIO);
    }
  }
}
