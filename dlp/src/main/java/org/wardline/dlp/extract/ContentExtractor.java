package org.wardline.dlp.extract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.io.input.CloseShieldInputStream;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.AutoDetectReader;
import org.apache.tika.detect.Detector;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.UnsupportedFormatException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TemporaryResources;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.BodyContentHandler;
import org.xml.sax.SAXException;

/**
 * Type detection and text extraction with Apache Tika, under {@link ExtractionLimits}. Detection uses the
 * content only (magic bytes and structure), never a file name. Plain text is decoded directly (charset
 * detected by Tika), so its extracted text is exactly the decoded content; every other format goes through
 * Tika's parsers, recursively into archives and attachments.
 *
 * <p>Blocking, thread-safe, and meant to be shared: build one and call it from worker threads. Bad input
 * never throws: truncated, malformed, encrypted or over-limit content comes back as a typed
 * {@link ExtractionResult}. Only an I/O error of the caller's stream is thrown.
 *
 * <p>Some formats (zip central directories, PDF) need random access; Tika then spools the input to a
 * temporary file. Pass a {@code tempDir} on encrypted or memory-backed storage if plaintext must not reach a
 * plain disk; the files are deleted when extraction ends.
 */
public final class ContentExtractor {

  private static final Set<String> PLAIN_TEXT = Set.of("text/plain", "text/csv", "text/tab-separated-values");
  private static final Set<String> GENERIC = Set.of("text/plain", "application/zip", "application/octet-stream",
      "application/x-tika-ooxml", "application/x-tika-msoffice", "application/xml");

  private final ExtractionLimits limits;
  private final Path tempDir;
  private final Detector detector;
  private final Detector magicOnly;
  private final MediaTypeRegistry registry;
  private final AutoDetectParser parser;

  public ContentExtractor(ExtractionLimits limits) {
    this(limits, null);
  }

  /** @param tempDir where Tika may spool content needing random access; null for the JVM default */
  public ContentExtractor(ExtractionLimits limits, Path tempDir) {
    this.limits = Objects.requireNonNull(limits);
    this.tempDir = tempDir;
    TikaConfig config = TikaConfig.getDefaultConfig();
    this.detector = config.getDetector();
    this.magicOnly = config.getMimeRepository();
    this.registry = config.getMediaTypeRegistry();
    this.parser = new AutoDetectParser(config);
  }

  public ExtractionLimits limits() {
    return limits;
  }

  /**
   * Detects the type of {@code in} from its content. Zip-based content is spooled to a temporary file first:
   * detecting it from a stream would inflate every entry (a zip bomb would be unpacked just to name it),
   * while the file's central directory names it at once.
   */
  public TypeReport detect(TikaInputStream in, Optional<String> declaredType) throws IOException {
    return typeReport(detectType(in), declaredType);
  }

  MediaType detectType(TikaInputStream in) throws IOException {
    MediaType magic = magicOnly.detect(in, new Metadata());
    if (registry.isInstanceOf(magic, MediaType.APPLICATION_ZIP)) {
      in.getPath();
    }
    return detector.detect(in, new Metadata());
  }

  TemporaryResources temporaryResources() {
    TemporaryResources tmp = new TemporaryResources();
    if (tempDir != null) {
      tmp.setTemporaryFileDirectory(tempDir);
    }
    return tmp;
  }

  ContentKind kindOf(MediaType type) {
    return ContentKinds.of(type, registry);
  }

  /**
   * Detects, extracts and reads {@code in} to its end (so a tee on it sees every byte). Does not close it.
   *
   * @param declaredType the media type the sender declared, if any, to report a contradiction
   */
  public ExtractionResult extract(InputStream in, Optional<String> declaredType) throws IOException {
    ExtractionBudget budget = new ExtractionBudget(limits);
    PdfTail tail = new PdfTail(in);
    MeteredInputStream input = MeteredInputStream.counting(tail, n -> budget.inputBytes += n);
    TypeReport type;
    String text;
    try (TemporaryResources tmp = temporaryResources()) {
      TikaInputStream tis =
          TikaInputStream.get(CloseShieldInputStream.wrap(new CallerStreamGuard(input)), tmp, new Metadata());
      TypeReport detected;
      try {
        detected = detect(tis, declaredType);
      } catch (NoClassDefFoundError e) {
        // a container naming a codec that is not on the class path (a zip entry compressed with Zstandard): what
        // it holds cannot be read, so it was not inspected
        budget.corrupt = true;
        detected = typeReport(MediaType.APPLICATION_ZIP, declaredType);
      }
      type = detected;
      MediaType base = MediaType.parse(type.detected());
      text = budget.corrupt ? "" : PLAIN_TEXT.contains(base.toString()) ? decodeText(tis, budget) : parse(tis, budget);
    } catch (IOException e) {
      throw CallerStreamGuard.unwrap(e);
    }
    input.drain();
    if (isPdf(type.detected()) && !tail.endsWithTrailer()) {
      budget.corrupt = true;
    }
    return result(type, text, budget);
  }

  private String decodeText(TikaInputStream tis, ExtractionBudget budget) throws CallerStreamGuard.CallerIOException {
    StringBuilder out = new StringBuilder();
    try (AutoDetectReader reader = new AutoDetectReader(tis)) {
      char[] buf = new char[8192];
      int max = limits.maxTextChars();
      for (int n = reader.read(buf); n >= 0; n = reader.read(buf)) {
        if (out.length() + n > max) {
          out.append(buf, 0, max - out.length());
          budget.exceed(LimitKind.TEXT_SIZE);
          break;
        }
        out.append(buf, 0, n);
      }
    } catch (IOException | TikaException e) {
      CallerStreamGuard.rethrowCallerFailure(e);
      budget.corrupt = true;
    }
    return out.toString();
  }

  private String parse(TikaInputStream tis, ExtractionBudget budget) throws CallerStreamGuard.CallerIOException {
    BoundedTextHandler text = new BoundedTextHandler(budget);
    ParseContext context = new ParseContext();
    context.set(Parser.class, parser);
    context.set(EmbeddedDocumentExtractor.class,
        new LimitedEmbeddedExtractor(this, parser, context, budget));
    try {
      parser.parse(tis, new BodyContentHandler(text), new Metadata(), context);
    } catch (EncryptedDocumentException e) {
      budget.encrypted = true;
    } catch (IOException | SAXException | TikaException | RuntimeException e) {
      CallerStreamGuard.rethrowCallerFailure(e);
      if (budget.exceeded == null) {
        if (isEncryption(e)) {
          budget.encrypted = true;
        } else if (!(e instanceof UnsupportedFormatException)) {
          budget.corrupt = true;
        }
      }
    } catch (StackOverflowError e) {
      budget.exceed(LimitKind.DEPTH);
    } catch (NoClassDefFoundError e) {
      budget.corrupt = true;
    }
    return text.text();
  }

  static boolean isPdf(String baseType) {
    return "application/pdf".equals(baseType);
  }

  /** True when {@code e} or a cause says the content is encrypted (Tika, commons-compress and POI differ). */
  static boolean isEncryption(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EncryptedDocumentException) {
        return true;
      }
      String name = t.getClass().getName();
      String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (name.endsWith("EncryptedDocumentException") || name.endsWith("InvalidPasswordException")
          || (name.endsWith("UnsupportedZipFeatureException") && msg.contains("encrypt"))
          || msg.contains("password") && msg.contains("encrypt")) {
        return true;
      }
    }
    return false;
  }

  private TypeReport typeReport(MediaType detected, Optional<String> declaredType) {
    MediaType base = registry.normalize(detected.getBaseType());
    boolean mismatch = false;
    if (declaredType.isPresent()) {
      MediaType declared = MediaType.parse(declaredType.get());
      if (declared == null) {
        mismatch = true;
      } else {
        MediaType d = registry.normalize(declared.getBaseType());
        boolean same = registry.isInstanceOf(base, d);
        boolean vaguer = GENERIC.contains(base.toString()) && registry.isInstanceOf(d, base);
        mismatch = !(same || vaguer || d.equals(MediaType.OCTET_STREAM));
      }
    }
    return new TypeReport(base.toString(), ContentKinds.of(base, registry), declaredType, mismatch);
  }

  private static ExtractionResult result(TypeReport type, String text, ExtractionBudget b) {
    ExtractionStatus status;
    if (b.exceeded != null) {
      status = ExtractionStatus.LIMIT_EXCEEDED;
    } else if (b.encrypted) {
      status = ExtractionStatus.ENCRYPTED;
    } else if (b.corrupt) {
      status = ExtractionStatus.CORRUPT;
    } else {
      status = ExtractionStatus.COMPLETE;
    }
    return new ExtractionResult(type, status, Optional.ofNullable(b.exceeded), text, Set.copyOf(b.embeddedKinds),
        Set.copyOf(b.embeddedTypes), b.entries, b.maxDepthSeen, b.unpackedBytes, b.suspiciousNames);
  }
}
