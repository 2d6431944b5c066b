package org.wardline.dlp.extract;

/** How far extraction got. Anything but {@link #COMPLETE} means the text may be incomplete. */
public enum ExtractionStatus {
  /** Every part was read and its text extracted (a format without text, such as an image, is complete). */
  COMPLETE,
  /** A limit stopped the scan (a zip bomb, too deep, too much text); see {@link ExtractionResult#limit()}. */
  LIMIT_EXCEEDED,
  /** The file or a part of it is encrypted, so its content could not be read. */
  ENCRYPTED,
  /** The file or a part of it is truncated or malformed. */
  CORRUPT
}
