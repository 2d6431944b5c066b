package org.wardline.dlp.extract;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.io.input.CloseShieldInputStream;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TemporaryResources;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.BodyContentHandler;
import org.apache.tika.sax.EmbeddedContentHandler;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Parses every embedded document (archive entries, attachments, objects in office files) recursively, while
 * counting entries, depth and unpacked bytes against the limits. Each entry is read to its end, so its size
 * counts even when its format has no text. Types are detected from content only.
 */
final class LimitedEmbeddedExtractor implements EmbeddedDocumentExtractor {

  private final ContentExtractor types;
  private final Parser parser;
  private final ParseContext context;
  private final ExtractionBudget budget;

  LimitedEmbeddedExtractor(ContentExtractor types, Parser parser, ParseContext context, ExtractionBudget budget) {
    this.types = types;
    this.parser = parser;
    this.context = context;
    this.budget = budget;
  }

  @Override
  public boolean shouldParseEmbedded(Metadata metadata) {
    return true;
  }

  @Override
  public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml)
      throws SAXException, IOException {
    budget.checkNotStopped();
    if (++budget.entries > budget.limits.maxEntries()) {
      throw budget.exceed(LimitKind.ENTRIES);
    }
    if (isSuspiciousName(metadata.get(TikaCoreProperties.RESOURCE_NAME_KEY))) {
      budget.suspiciousNames = true;
    }
    budget.depth++;
    budget.maxDepthSeen = Math.max(budget.maxDepthSeen, budget.depth);
    try {
      if (budget.depth > budget.limits.maxDepth()) {
        throw budget.exceed(LimitKind.DEPTH);
      }
      PdfTail tail = new PdfTail(CloseShieldInputStream.wrap(stream));
      MeteredInputStream metered = new MeteredInputStream(tail, budget::addUnpacked);
      try (TemporaryResources tmp = types.temporaryResources()) {
        TikaInputStream tis = TikaInputStream.get(metered, tmp, new Metadata());
        MediaType type = types.detectType(tis);
        budget.embeddedTypes.add(type.getBaseType().toString());
        budget.embeddedKinds.add(types.kindOf(type));
        Metadata embedded = new Metadata();
        embedded.set(Metadata.CONTENT_TYPE, type.toString());
        parser.parse(tis, new EmbeddedContentHandler(new BodyContentHandler(handler)), embedded, context);
        metered.drain();
        if (ContentExtractor.isPdf(type.getBaseType().toString()) && !tail.endsWithTrailer()) {
          budget.corrupt = true;
        }
      } catch (EncryptedDocumentException e) {
        budget.encrypted = true;
      } catch (NoClassDefFoundError e) {
        budget.corrupt = true; // a codec that is not on the class path: the entry was not read
      } catch (TikaException e) {
        budget.checkNotStopped();
        if (ContentExtractor.isEncryption(e)) {
          budget.encrypted = true;
        } else {
          budget.corrupt = true;
        }
      }
    } finally {
      budget.depth--;
    }
  }

  /** Absolute paths, drive letters and ".." segments: harmless here (nothing is written) but worth reporting. */
  static boolean isSuspiciousName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    String n = name.replace('\\', '/');
    if (n.startsWith("/") || (n.length() > 1 && n.charAt(1) == ':')) {
      return true;
    }
    for (String segment : n.split("/")) {
      if (segment.equals("..")) {
        return true;
      }
    }
    return false;
  }
}
