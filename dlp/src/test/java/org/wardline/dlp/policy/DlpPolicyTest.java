package org.wardline.dlp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;
import org.wardline.dlp.extract.ContentExtractor;
import org.wardline.dlp.extract.ContentKind;
import org.wardline.dlp.extract.ExtractionLimits;
import org.wardline.dlp.extract.ExtractionResult;
import org.wardline.dlp.extract.ExtractionStatus;
import org.wardline.dlp.extract.LimitKind;
import org.wardline.dlp.extract.TestDocuments;
import org.wardline.dlp.extract.TypeReport;
import org.wardline.dlp.malware.MalwareScanResult;

class DlpPolicyTest {

  private static DlpPolicy policy;

  @BeforeAll
  static void load() throws Exception {
    policy = new DlpPolicy(new RulePackLoader(RulePacks.configDir()).load(Optional.empty(), Optional.empty()));
  }

  private static ExtractionResult doc(ExtractionStatus status, ContentKind kind, boolean mismatch) {
    return new ExtractionResult(new TypeReport("application/pdf", kind, Optional.empty(), mismatch), status,
        status == ExtractionStatus.LIMIT_EXCEEDED ? Optional.of(LimitKind.EXPANSION_RATIO) : Optional.empty(), "",
        Set.of(), Set.of(), 0, 0, 0, false);
  }

  private static final ExtractionResult CLEAN_PDF = doc(ExtractionStatus.COMPLETE, ContentKind.OTHER, false);

  private static Finding finding(PhiCategory c, double confidence) {
    return new Finding(c, 0, 5, "test", confidence);
  }

  @ParameterizedTest
  @CsvSource({
    "SSN, INTERNAL_CONVERSATION, TAG",
    "SSN, EXTERNAL_SHARE_LINK, QUARANTINE",
    "PAYMENT_CARD, EXTERNAL_SHARE_LINK, BLOCK",
    "EMAIL, EXTERNAL_SHARE_LINK, REQUIRE_JUSTIFICATION",
    "NPI, INTERNAL_CONVERSATION, ALLOW",
  })
  void phiDecisionsFollowCategoryAndDestination(PhiCategory category, Destination destination, Decision expected) {
    Verdict v = policy.decide(destination, CLEAN_PDF, List.of(finding(category, 0.9)),
        Optional.of(new MalwareScanResult.Clean()));
    assertThat(v.decision()).isEqualTo(expected);
  }

  @Test
  void verdictCountsPerCategoryAndTakesTheStrictestDecision() {
    Verdict v = policy.decide(Destination.EXTERNAL_SHARE_LINK, CLEAN_PDF,
        List.of(finding(PhiCategory.SSN, 0.9), finding(PhiCategory.SSN, 0.9), finding(PhiCategory.EMAIL, 0.9),
            finding(PhiCategory.PAYMENT_CARD, 0.2)),
        Optional.empty());
    assertThat(v.decision()).isEqualTo(Decision.QUARANTINE);
    assertThat(v.reasons()).containsExactlyInAnyOrder(
        new Verdict.Reason("phi.SSN", 2, Decision.QUARANTINE),
        new Verdict.Reason("phi.EMAIL", 1, Decision.REQUIRE_JUSTIFICATION));
  }

  @Test
  void nothingFoundIsAllowed() {
    assertThat(policy.decide(Destination.EXTERNAL_SHARE_LINK, CLEAN_PDF, List.of(),
        Optional.of(new MalwareScanResult.Clean())).decision()).isEqualTo(Decision.ALLOW);
  }

  @Test
  void malwareAlwaysBlocksAndUnscannedIsNeverClean() {
    assertThat(policy.decide(Destination.INTERNAL_CONVERSATION, CLEAN_PDF, List.of(),
        Optional.of(new MalwareScanResult.Infected(List.of("Eicar-Test-Signature")))).decision())
        .isEqualTo(Decision.BLOCK);
    assertThat(policy.decide(Destination.INTERNAL_CONVERSATION, CLEAN_PDF, List.of(),
        Optional.of(new MalwareScanResult.Unavailable(MalwareScanResult.Reason.TIMEOUT))).decision())
        .isEqualTo(Decision.BLOCK);
    assertThat(policy.decide(Destination.INTERNAL_CONVERSATION, CLEAN_PDF, List.of(),
        Optional.of(new MalwareScanResult.Incomplete("Heuristics.Limits.Exceeded.MaxScanSize"))).decision())
        .isEqualTo(Decision.QUARANTINE);
  }

  @Test
  void contentRulesFire() {
    assertThat(policy.decide(Destination.INTERNAL_CONVERSATION,
        doc(ExtractionStatus.COMPLETE, ContentKind.EXECUTABLE, true), List.of(), Optional.empty()).decision())
        .isEqualTo(Decision.BLOCK);
    Verdict bomb = policy.decide(Destination.INTERNAL_CONVERSATION,
        doc(ExtractionStatus.LIMIT_EXCEEDED, ContentKind.ARCHIVE, false), List.of(), Optional.empty());
    assertThat(bomb.decision()).as("a zip bomb is refused, not kept for review").isEqualTo(Decision.BLOCK);
    assertThat(bomb.reasons()).extracting(Verdict.Reason::code).containsExactly("content.limit:EXPANSION_RATIO");
    assertThat(policy.decide(Destination.INTERNAL_CONVERSATION,
        doc(ExtractionStatus.ENCRYPTED, ContentKind.ARCHIVE, false), List.of(), Optional.empty()).reasons())
        .extracting(Verdict.Reason::code).containsExactly("content.encrypted");
    assertThat(policy.decide(Destination.INTERNAL_CONVERSATION,
        doc(ExtractionStatus.COMPLETE, ContentKind.OTHER, true), List.of(), Optional.empty()).decision())
        .isEqualTo(Decision.QUARANTINE);
  }

  @Test
  void aRealZipBombIsBlockedWhileLongTextIsQuarantinedAndACutPdfIsNeverAllowed() throws Exception {
    ContentExtractor extractor = new ContentExtractor(ExtractionLimits.defaults());
    ExtractionResult bomb = extractor.extract(new ByteArrayInputStream(TestDocuments.zerosZip(64L << 20)),
        Optional.empty());
    assertThat(policy.decide(Destination.INTERNAL_CONVERSATION, bomb, List.of(), Optional.empty()).decision())
        .isEqualTo(Decision.BLOCK);
    ExtractionResult longText = new ExtractionResult(new TypeReport("text/plain", ContentKind.OTHER, Optional.empty(),
        false), ExtractionStatus.LIMIT_EXCEEDED, Optional.of(LimitKind.TEXT_SIZE), "", Set.of(), Set.of(), 0, 0, 0, false);
    assertThat(policy.decide(Destination.INTERNAL_CONVERSATION, longText, List.of(), Optional.empty()).decision())
        .isEqualTo(Decision.QUARANTINE);
    byte[] pdf = TestDocuments.pdf("Discharge summary", false);
    ExtractionResult cut = extractor.extract(new ByteArrayInputStream(TestDocuments.truncated(pdf, pdf.length * 3 / 4)),
        Optional.empty());
    assertThat(policy.decide(Destination.INTERNAL_CONVERSATION, cut, List.of(), Optional.of(new MalwareScanResult.Clean()))
        .decision()).isEqualTo(Decision.QUARANTINE);
  }

  @Test
  void verdictTextHoldsCodesAndCountsOnly() {
    Verdict v = policy.decide(Destination.EXTERNAL_SHARE_LINK, CLEAN_PDF, List.of(finding(PhiCategory.SSN, 0.9)),
        Optional.empty());
    assertThat(v.toString()).doesNotContain("123-45").contains("phi.SSN");
  }
}
