package org.wardline.dlp.extract;

import java.util.Set;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;

/** Classifies Tika media types into {@link ContentKind}s, following Tika's type hierarchy. */
final class ContentKinds {

  private static final Set<String> EXECUTABLES = Set.of(
      "application/x-msdownload", "application/x-dosexec", "application/vnd.microsoft.portable-executable",
      "application/x-executable", "application/x-sharedlib", "application/x-elf", "application/x-object",
      "application/x-coredump", "application/x-mach-o", "application/x-mach-o-executable",
      "application/x-mach-o-dylib", "application/x-mach-o-bundle", "application/x-mach-o-universal",
      "application/x-msi", "application/x-ms-installer", "application/x-apple-diskimage",
      "application/vnd.android.package-archive", "application/x-ms-shortcut");
  private static final Set<String> SCRIPTS = Set.of(
      "application/x-sh", "application/x-shellscript", "text/x-sh", "application/x-csh", "application/x-bat",
      "application/x-msdos-program", "text/x-python", "application/x-python", "application/x-perl", "text/x-perl",
      "application/x-ruby", "text/x-ruby", "application/javascript", "text/javascript", "application/x-javascript",
      "text/x-powershell", "application/x-powershell", "application/x-vbscript", "text/vbscript",
      "application/java-archive", "application/java-vm", "application/x-java-jnlp-file", "application/hta",
      "text/x-php", "application/x-httpd-php", "text/x-tcl");
  private static final Set<String> ARCHIVES = Set.of(
      "application/zip", "application/x-tar", "application/gzip", "application/x-gzip", "application/x-7z-compressed",
      "application/x-rar-compressed", "application/vnd.rar", "application/x-bzip2", "application/x-xz",
      "application/x-compress", "application/x-cpio", "application/x-archive", "application/zstd",
      "application/x-lzma", "application/x-lz4", "application/x-gtar", "application/x-iso9660-image");

  private ContentKinds() {}

  static ContentKind of(MediaType type, MediaTypeRegistry registry) {
    for (MediaType t = type.getBaseType(); t != null; t = registry.getSupertype(t)) {
      String s = t.toString();
      if (EXECUTABLES.contains(s)) {
        return ContentKind.EXECUTABLE;
      }
      if (SCRIPTS.contains(s)) {
        return ContentKind.SCRIPT;
      }
      // office formats are zip underneath but are documents, so stop at the first named type
      if (ARCHIVES.contains(s) && t.equals(type.getBaseType())) {
        return ContentKind.ARCHIVE;
      }
    }
    return ContentKind.OTHER;
  }
}
