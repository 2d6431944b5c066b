package org.wardline.dlp.policy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;
import org.wardline.dlp.extract.ContentKind;
import org.wardline.dlp.extract.ExtractionResult;
import org.wardline.dlp.extract.ExtractionStatus;
import org.wardline.dlp.extract.LimitKind;
import org.wardline.dlp.malware.MalwareScanResult;

/**
 * Applies a {@link RulePack} to what inspection found. The verdict is the most restrictive decision of every
 * rule that fires. Malware and decompression bombs always block; a scan that did not cover everything is never
 * clean.
 */
public final class DlpPolicy {

  private final RulePack pack;

  public DlpPolicy(RulePack pack) {
    this.pack = pack;
  }

  public RulePack pack() {
    return pack;
  }

  /**
   * @param malware the malware scan, or empty when the caller scans elsewhere (the verdict then says nothing
   *     about malware)
   */
  public Verdict decide(Destination destination, ExtractionResult extraction, List<Finding> findings,
      Optional<MalwareScanResult> malware) {
    List<Verdict.Reason> reasons = new ArrayList<>();
    malware.ifPresent(m -> malwareReasons(m, reasons));
    contentReasons(extraction, reasons);
    Map<PhiCategory, Integer> counts = new EnumMap<>(PhiCategory.class);
    for (Finding f : findings) {
      if (f.confidence() >= pack.minConfidence()) {
        counts.merge(f.category(), 1, Integer::sum);
      }
    }
    counts.forEach((category, n) ->
        reasons.add(new Verdict.Reason("phi." + category, n, pack.forPhi(category, destination))));
    Decision decision = Decision.ALLOW;
    for (Verdict.Reason r : reasons) {
      decision = decision.max(r.decision());
    }
    return new Verdict(decision, reasons);
  }

  private void malwareReasons(MalwareScanResult m, List<Verdict.Reason> reasons) {
    switch (m) {
      case MalwareScanResult.Clean c -> { }
      case MalwareScanResult.Infected i -> reasons.add(new Verdict.Reason("malware.infected", 1, Decision.BLOCK));
      case MalwareScanResult.Incomplete i ->
          reasons.add(new Verdict.Reason("malware.incomplete", 1, pack.content().scanIncomplete()));
      case MalwareScanResult.Unavailable u ->
          reasons.add(new Verdict.Reason("malware.unavailable", 1, pack.content().scannerUnavailable()));
    }
  }

  private void contentReasons(ExtractionResult x, List<Verdict.Reason> reasons) {
    ContentRules rules = pack.content();
    if (x.contains(ContentKind.EXECUTABLE)) {
      reasons.add(new Verdict.Reason("content.executable", 1, rules.executable()));
    }
    if (x.contains(ContentKind.SCRIPT)) {
      reasons.add(new Verdict.Reason("content.script", 1, rules.script()));
    }
    rules.forbiddenTypes().forEach((type, decision) -> {
      if (x.type().detected().equals(type) || x.embeddedTypes().contains(type)) {
        reasons.add(new Verdict.Reason("content.type:" + type, 1, decision));
      }
    });
    if (x.type().mismatch()) {
      reasons.add(new Verdict.Reason("content.type-mismatch", 1, rules.typeMismatch()));
    }
    if (x.suspiciousEntryNames()) {
      reasons.add(new Verdict.Reason("content.suspicious-entry-names", 1, rules.suspiciousEntryNames()));
    }
    if (x.status() == ExtractionStatus.ENCRYPTED) {
      reasons.add(new Verdict.Reason("content.encrypted", 1, rules.encrypted()));
    } else if (x.status() != ExtractionStatus.COMPLETE) {
      String code = x.status() == ExtractionStatus.CORRUPT ? "content.corrupt"
          : "content.limit:" + x.limit().map(Enum::name).orElse("UNKNOWN");
      reasons.add(new Verdict.Reason(code, 1, isBomb(x) ? Decision.BLOCK : rules.scanIncomplete()));
    }
  }

  /**
   * An archive that unpacks too deep, too wide or too large is an attack on the scanner, not a document to
   * review: it is refused, and no quarantine copy is kept. Text beyond the text limit is only long, and follows
   * {@code scanIncomplete}.
   */
  private static boolean isBomb(ExtractionResult x) {
    return x.status() == ExtractionStatus.LIMIT_EXCEEDED
        && x.limit().map(l -> l != LimitKind.TEXT_SIZE).orElse(true);
  }
}
