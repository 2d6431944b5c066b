package org.wardline.dlp.corpus;

import java.util.List;
import org.wardline.dlp.detect.PhiCategory;

/** A synthetic note and the exact spans of PHI in it. */
public record LabelledNote(String id, String text, List<Span> spans) {

  /** A labelled span; {@code end} is exclusive. */
  public record Span(PhiCategory category, int start, int end) {}
}
