package org.wardline.dlp.eval;

/**
 * One labelled PHI span of a note: UTF-16 offsets into the note's text (end exclusive) and the corpus's own
 * category name ("HCPName", "Location" ...), which need not be one of Wardline's categories.
 */
public record GoldSpan(int start, int end, String category) {

  public GoldSpan {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
  }
}
