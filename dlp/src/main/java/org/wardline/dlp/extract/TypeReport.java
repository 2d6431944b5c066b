package org.wardline.dlp.extract;

import java.util.Optional;

/**
 * The type found from the content (magic bytes, never the name) and how it relates to what the sender
 * declared.
 *
 * @param detected media type from the content, e.g. {@code application/pdf}
 * @param kind broad class of the detected type
 * @param declared the media type the sender declared, if any
 * @param mismatch true when a type was declared and the content is neither that type nor a subtype of it
 */
public record TypeReport(String detected, ContentKind kind, Optional<String> declared, boolean mismatch) {}
