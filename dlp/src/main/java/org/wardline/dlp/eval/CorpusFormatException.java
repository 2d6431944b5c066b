package org.wardline.dlp.eval;

import java.nio.file.Path;

/**
 * A labelled corpus that cannot be scored as written: the message names the file and line and says what is
 * wrong, never the text of the note.
 */
public final class CorpusFormatException extends Exception {

  public CorpusFormatException(Path file, int line, String problem) {
    super(file + ":" + line + ": " + problem);
  }

  public CorpusFormatException(Path file, String problem) {
    super(file + ": " + problem);
  }
}
