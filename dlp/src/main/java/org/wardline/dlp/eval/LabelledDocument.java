package org.wardline.dlp.eval;

import java.util.List;

/**
 * A note and its labelled PHI, as read from an annotated corpus.
 *
 * @param id where it came from ("patient 3 note 12", a file name); never part of the text
 * @param text the note's text, which the spans index into
 * @param spans sorted by start, not overlapping
 */
public record LabelledDocument(String id, String text, List<GoldSpan> spans) {

  public LabelledDocument {
    spans = List.copyOf(spans);
  }
}
