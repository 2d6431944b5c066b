package org.wardline.dlp.corpus;

/** One sentence or block of a synthetic note. */
@FunctionalInterface
interface NoteTemplate {

  /** People the note is about, so a note keeps its names consistent. */
  record Cast(String first, String last, String relFirst, String relLast, String relation, String nurse,
      String doctor) {}

  void write(NoteBuilder b, PhiValues v, Cast c);
}
