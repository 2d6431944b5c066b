package org.wardline.dlp.detect;

import java.util.Objects;

/**
 * One detected piece of PHI: where it is, never what it is.
 *
 * @param category what kind of identifier was found
 * @param start UTF-16 offset of the first char in the extracted text
 * @param end UTF-16 offset just past the last char (exclusive)
 * @param detector name of the detector that reported it
 * @param confidence between 0 and 1
 */
public record Finding(PhiCategory category, int start, int end, String detector, double confidence) {

  public Finding {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(detector, "detector");
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
    if (confidence < 0 || confidence > 1) {
      throw new IllegalArgumentException("confidence out of [0,1]: " + confidence);
    }
  }

  public int length() {
    return end - start;
  }

  public boolean overlaps(Finding other) {
    return start < other.end && other.start < end;
  }

  /** The same finding moved by {@code delta} chars, for text that was scanned in pieces. */
  public Finding shift(int delta) {
    return new Finding(category, start + delta, end + delta, detector, confidence);
  }
}
