package org.wardline.dlp.extract;

import java.util.Optional;
import java.util.Set;

/**
 * What extraction produced. {@code text} is the extracted text the detectors scan (for plain text files it is
 * exactly the decoded content), possibly cut short when {@code status} is not {@link ExtractionStatus#COMPLETE}.
 *
 * @param type the outer document's type
 * @param status how far extraction got
 * @param limit the limit that stopped it, when status is {@link ExtractionStatus#LIMIT_EXCEEDED}
 * @param text extracted text
 * @param embeddedKinds kinds of every embedded document found (an executable inside a zip shows here)
 * @param embeddedTypes media types of every embedded document
 * @param entries number of embedded documents
 * @param maxDepth deepest nesting seen
 * @param unpackedBytes bytes unpacked from embedded documents
 * @param suspiciousEntryNames true when an archive entry name is absolute or climbs out with ".."
 */
public record ExtractionResult(
    TypeReport type,
    ExtractionStatus status,
    Optional<LimitKind> limit,
    String text,
    Set<ContentKind> embeddedKinds,
    Set<String> embeddedTypes,
    int entries,
    int maxDepth,
    long unpackedBytes,
    boolean suspiciousEntryNames) {

  public boolean complete() {
    return status == ExtractionStatus.COMPLETE;
  }

  /** Kinds of the outer document and everything inside it. */
  public boolean contains(ContentKind kind) {
    return type.kind() == kind || embeddedKinds.contains(kind);
  }

  @Override
  public String toString() {
    // never print the text
    return "ExtractionResult[type=" + type + ", status=" + status + ", limit=" + limit + ", chars=" + text.length()
        + ", entries=" + entries + ", maxDepth=" + maxDepth + ", unpackedBytes=" + unpackedBytes + "]";
  }
}
