package org.wardline.dlp.inspect;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiScanner;
import org.wardline.dlp.extract.ContentExtractor;
import org.wardline.dlp.extract.ExtractionLimits;
import org.wardline.dlp.extract.ExtractionResult;
import org.wardline.dlp.malware.MalwareScanResult;
import org.wardline.dlp.malware.MalwareScanner;

/**
 * One pass over an upload: type detection and text extraction (Tika), PHI detection, and optionally a malware
 * scan, from a single read of the stream.
 *
 * <p><b>Feeding other consumers from the same pass.</b> {@link #inspect(InputStream, Optional, OutputStream)}
 * copies every byte it reads to {@code copyTo} as it goes, and reads the stream to its end even when
 * extraction stops early. The server passes its encrypting writer there (and commits the object only after a
 * clean verdict). The malware scanner, when configured, is fed through a bounded pipe on a virtual thread, so
 * clamd INSTREAM sees the same bytes concurrently and a slow clamd slows the upload instead of growing memory.
 * If the scanner stops reading early its result is never clean, and the pass continues.
 *
 * <p>Blocking and thread-safe; share one instance (it holds the Tika parsers and the name dictionary).
 */
public final class DlpInspector {

  private static final int PIPE_BUFFER = 1 << 20;

  private final ContentExtractor extractor;
  private final PhiScanner scanner;
  private final Optional<MalwareScanner> malware;

  public DlpInspector(ContentExtractor extractor, PhiScanner scanner, Optional<MalwareScanner> malware) {
    this.extractor = Objects.requireNonNull(extractor);
    this.scanner = Objects.requireNonNull(scanner);
    this.malware = Objects.requireNonNull(malware);
  }

  /** Default limits and every built-in detector; no malware scan unless one is given. */
  public static DlpInspector standard(Optional<MalwareScanner> malware) {
    return new DlpInspector(new ContentExtractor(ExtractionLimits.defaults()), PhiScanner.standard(), malware);
  }

  public Inspection inspect(InputStream content, Optional<String> declaredType) throws IOException {
    return inspect(content, declaredType, OutputStream.nullOutputStream());
  }

  /**
   * Inspects {@code content}, copying every byte read to {@code copyTo}. Does not close either stream.
   *
   * @throws IOException only when {@code content} or {@code copyTo} fails (bad content is a typed result)
   */
  public Inspection inspect(InputStream content, Optional<String> declaredType, OutputStream copyTo)
      throws IOException {
    return inspect(content, declaredType, copyTo, false);
  }

  /**
   * As {@link #inspect(InputStream, Optional, OutputStream)}; with {@code stopWhenScanEnds}, a malware scanner
   * that stops reading before the end ends the pass at once with a {@link ScanEndedEarlyException} (an upload
   * that cannot be cleared is refused without reading the rest of it).
   */
  public Inspection inspect(InputStream content, Optional<String> declaredType, OutputStream copyTo,
      boolean stopWhenScanEnds) throws IOException {
    if (malware.isEmpty()) {
      ExtractionResult extraction = extractor.extract(new CopyingInputStream(content, copyTo, null, false), declaredType);
      return new Inspection(extraction, findings(extraction), Optional.empty());
    }
    BoundedPipe scanPipe = new BoundedPipe(PIPE_BUFFER);
    InputStream scanIn = scanPipe.source();
    OutputStream scanOut = scanPipe.sink();
    FutureTask<MalwareScanResult> scan = new FutureTask<>(() -> {
      try (scanIn) {
        return malware.get().scan(scanIn);
      }
    });
    Thread.ofVirtual().name("dlp-malware-scan").start(scan);
    CopyingInputStream tee = new CopyingInputStream(content, copyTo, scanOut, stopWhenScanEnds);
    ExtractionResult extraction;
    try {
      extraction = extractor.extract(tee, declaredType);
    } finally {
      tee.closeBranch();
    }
    List<Finding> findings = findings(extraction);
    MalwareScanResult result = awaitScan(scan);
    if (tee.branchBroken() && result.isClean()) {
      // the scanner stopped reading before the end yet said clean: it did not see everything
      result = new MalwareScanResult.Unavailable(MalwareScanResult.Reason.UNEXPECTED_RESPONSE);
    }
    return new Inspection(extraction, findings, Optional.of(result));
  }

  private List<Finding> findings(ExtractionResult extraction) {
    return scanner.scan(extraction.text());
  }

  private static MalwareScanResult awaitScan(FutureTask<MalwareScanResult> scan) {
    try {
      return scan.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      scan.cancel(true);
      return new MalwareScanResult.Unavailable(MalwareScanResult.Reason.INTERRUPTED);
    } catch (ExecutionException e) {
      return new MalwareScanResult.Unavailable(MalwareScanResult.Reason.SCANNER_ERROR);
    }
  }

  /**
   * Copies what is read to {@code copyTo} (failures propagate) and to an optional branch (failures only mark
   * the branch broken, so a scanner that gave up cannot stall or fail the upload).
   */
  private static final class CopyingInputStream extends FilterInputStream {
    private final OutputStream copyTo;
    private final boolean stopWhenBranchBreaks;
    private OutputStream branch;
    private boolean branchBroken;

    CopyingInputStream(InputStream in, OutputStream copyTo, OutputStream branch, boolean stopWhenBranchBreaks) {
      super(in);
      this.copyTo = Objects.requireNonNull(copyTo);
      this.branch = branch;
      this.stopWhenBranchBreaks = stopWhenBranchBreaks;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        copyTo.write(b);
        toBranch(new byte[] {(byte) b}, 0, 1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        copyTo.write(buf, off, n);
        toBranch(buf, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
      long total = 0;
      while (total < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - total));
        if (r < 0) {
          break;
        }
        total += r;
      }
      return total;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public void close() {
      // the caller owns the stream
    }

    private void toBranch(byte[] buf, int off, int len) throws ScanEndedEarlyException {
      if (branch == null || branchBroken) {
        return;
      }
      try {
        branch.write(buf, off, len);
      } catch (IOException e) {
        branchBroken = true;
        if (stopWhenBranchBreaks) {
          throw new ScanEndedEarlyException(e);
        }
      }
    }

    void closeBranch() {
      if (branch != null) {
        try {
          branch.close();
        } catch (IOException e) {
          branchBroken = true;
        }
        branch = null;
      }
    }

    boolean branchBroken() {
      return branchBroken;
    }
  }
}
