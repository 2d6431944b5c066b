package org.wardline.dlp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;
import org.wardline.dlp.detect.PhiScanner;
import org.wardline.dlp.extract.ContentExtractor;
import org.wardline.dlp.extract.ExtractionLimits;
import org.wardline.dlp.extract.ExtractionResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dlp scan [--jsonl] PATH...}: scans files and folders (recursively) for PHI without a server. One
 * Tika instance and one detector set serve every file; results are printed as each file is done, so memory
 * does not grow with the number of files.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = {"Scan files and folders (recursively) for PHI, without a server."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every file was scanned completely and no PHI was found",
      "1:PHI was found in at least one file",
      "2:invalid command line",
      "3:at least one file could not be read or fully scanned (encrypted, corrupt, over a limit); "
          + "this wins over 1"})
public final class DlpScanCommand implements Callable<Integer> {

  static final int NO_PHI = 0;
  static final int PHI_FOUND = 1;
  static final int INCOMPLETE = 3;

  @Option(names = "--jsonl", description = "Print one JSON object per finding: "
      + "{\"file\", \"category\", \"start\", \"end\", \"detector\", \"confidence\"}; start/end are UTF-16 offsets "
      + "into the extracted text (end exclusive); for a plain-text file that text is its decoded content.")
  boolean jsonl;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders to scan.")
  List<Path> paths;

  @Spec
  CommandLine.Model.CommandSpec spec;

  private ContentExtractor extractor;
  private PhiScanner scanner;
  private boolean anyPhi;
  private boolean anyIncomplete;

  /** The {@code dlp} command group, so the tool is invoked as {@code dlp scan ...} or {@code dlp eval ...}. */
  @Command(name = "dlp", mixinStandardHelpOptions = true, subcommands = {DlpScanCommand.class, DlpEvalCommand.class},
      description = "Wardline content inspection tools.")
  public static final class Dlp {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, for embedding in another CLI or for tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new Dlp());
  }

  @Override
  public Integer call() throws IOException {
    extractor = new ContentExtractor(ExtractionLimits.defaults());
    scanner = PhiScanner.standard();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (Path root : paths) {
      if (!Files.exists(root)) {
        err.println(root + ": no such file or folder");
        anyIncomplete = true;
        continue;
      }
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            scanFile(file, out, err);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          err.println(file + ": cannot read");
          anyIncomplete = true;
          return FileVisitResult.CONTINUE;
        }
      });
    }
    out.flush();
    return anyIncomplete ? INCOMPLETE : anyPhi ? PHI_FOUND : NO_PHI;
  }

  private void scanFile(Path file, PrintWriter out, PrintWriter err) {
    ExtractionResult extraction;
    try (InputStream in = Files.newInputStream(file)) {
      extraction = extractor.extract(in, Optional.empty());
    } catch (IOException | UncheckedIOException e) {
      err.println(file + ": cannot read");
      anyIncomplete = true;
      return;
    }
    List<Finding> findings = scanner.scan(extraction.text());
    anyPhi |= !findings.isEmpty();
    if (!extraction.complete()) {
      anyIncomplete = true;
      err.println(file + ": not fully scanned: " + extraction.status()
          + extraction.limit().map(l -> " (" + l + ")").orElse(""));
    }
    if (jsonl) {
      String name = Json.string(file.toString());
      for (Finding f : findings) {
        out.println("{\"file\":" + name + ",\"category\":\"" + f.category() + "\",\"start\":" + f.start()
            + ",\"end\":" + f.end() + ",\"detector\":" + Json.string(f.detector()) + ",\"confidence\":"
            + String.format(Locale.ROOT, "%.2f", f.confidence()) + "}");
      }
    } else {
      out.println(summary(file, extraction, findings));
    }
  }

  /** Counts per category, never the matched text. */
  static String summary(Path file, ExtractionResult extraction, List<Finding> findings) {
    Map<PhiCategory, Integer> counts = new EnumMap<>(PhiCategory.class);
    findings.forEach(f -> counts.merge(f.category(), 1, Integer::sum));
    String what = counts.isEmpty() ? "no PHI found"
        : findings.size() + " finding" + (findings.size() == 1 ? "" : "s") + ": " + counts.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    String status = extraction.complete() ? "" : " [" + extraction.status()
        + extraction.limit().map(l -> " " + l).orElse("") + "]";
    return file + " (" + extraction.type().detected() + ")" + status + ": " + what;
  }
}
