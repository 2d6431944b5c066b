package org.wardline.dlp.extract;

/**
 * Hard limits for one extraction. Memory use is bounded by {@code maxTextChars} (the extracted text is kept
 * for the detectors) plus Tika's per-format buffers, never by the size of the input.
 *
 * @param maxDepth deepest nesting of embedded documents (a zip in a zip is depth 2)
 * @param maxEntries most embedded documents in total
 * @param maxExpansionRatio most bytes unpacked from archives per byte of input (checked once more than
 *     {@code ratioGraceBytes} have been unpacked)
 * @param ratioGraceBytes unpacked bytes allowed before the ratio applies, so small compressible files pass
 * @param maxUnpackedBytes most bytes unpacked from embedded documents in total
 * @param maxTextChars most chars of extracted text
 */
public record ExtractionLimits(
    int maxDepth, int maxEntries, long maxExpansionRatio, long ratioGraceBytes, long maxUnpackedBytes,
    int maxTextChars) {

  public ExtractionLimits {
    if (maxDepth < 0 || maxEntries < 0 || maxExpansionRatio < 1 || ratioGraceBytes < 0 || maxUnpackedBytes < 0
        || maxTextChars < 1) {
      throw new IllegalArgumentException("extraction limits must be positive");
    }
  }

  /** Depth 5, 10,000 entries, ratio 100 after 1 MiB, 1 GiB unpacked, 32 Mi chars of text. */
  public static ExtractionLimits defaults() {
    return new ExtractionLimits(5, 10_000, 100, 1L << 20, 1L << 30, 32 << 20);
  }

  public ExtractionLimits withMaxDepth(int depth) {
    return new ExtractionLimits(depth, maxEntries, maxExpansionRatio, ratioGraceBytes, maxUnpackedBytes, maxTextChars);
  }

  public ExtractionLimits withMaxEntries(int entries) {
    return new ExtractionLimits(maxDepth, entries, maxExpansionRatio, ratioGraceBytes, maxUnpackedBytes, maxTextChars);
  }

  public ExtractionLimits withMaxTextChars(int chars) {
    return new ExtractionLimits(maxDepth, maxEntries, maxExpansionRatio, ratioGraceBytes, maxUnpackedBytes, chars);
  }

  public ExtractionLimits withMaxUnpackedBytes(long bytes) {
    return new ExtractionLimits(maxDepth, maxEntries, maxExpansionRatio, ratioGraceBytes, bytes, maxTextChars);
  }
}
