package org.wardline.dlp.extract;

/** Broad classes of content the policy treats differently. */
public enum ContentKind {
  /** Native executables and libraries: PE (Windows), ELF, Mach-O, and installers. */
  EXECUTABLE,
  /** Shell, batch, PowerShell, Python, JavaScript and similar scripts, and Java archives. */
  SCRIPT,
  /** Containers of other files (zip, tar, 7z, gzip ...). */
  ARCHIVE,
  /** Anything else: documents, images, text. */
  OTHER
}
