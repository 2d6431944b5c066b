package org.wardline.dlp.extract;

/** Which extraction limit stopped the scan. */
public enum LimitKind {
  DEPTH,
  ENTRIES,
  EXPANSION_RATIO,
  UNPACKED_SIZE,
  TEXT_SIZE
}
