package org.wardline.dlp.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a set of detectors over a text and resolves their overlaps. Immutable and thread-safe; build one and
 * share it (the name dictionary costs a few milliseconds to load).
 */
public final class PhiScanner {

  private final List<PhiDetector> detectors;

  public PhiScanner(List<PhiDetector> detectors) {
    this.detectors = List.copyOf(detectors);
  }

  /** Every built-in detector with its default configuration. */
  public static PhiScanner standard() {
    return new PhiScanner(standardDetectors(NameDictionary.standard()));
  }

  public static List<PhiDetector> standardDetectors(NameDictionary names) {
    ClinicalLexicon lexicon = ClinicalLexicon.standard(names);
    return List.of(
        new SsnDetector(),
        new MbiDetector(),
        new NpiDetector(),
        new DeaNumberDetector(),
        new PaymentCardDetector(),
        ContextualIdDetector.mrn(),
        ContextualIdDetector.accountNumber(),
        ContextualIdDetector.healthPlanId(),
        new EmailDetector(),
        new UrlDetector(),
        new IpAddressDetector(),
        new PhoneNumberDetector(),
        new FaxNumberDetector(),
        new ClinicalProseVeto(new StreetAddressDetector(), lexicon),
        new ZipCodeDetector(),
        new DateDetector(),
        new AgeOver89Detector(),
        new ClinicalProseVeto(new PersonNameDetector(names, lexicon), lexicon),
        new PhoneFormsDetector(),
        new YearDetector(),
        new CuedNameDetector(lexicon),
        new LocationDetector(lexicon),
        new AgeOpeningHistoryDetector());
  }

  public List<PhiDetector> detectors() {
    return detectors;
  }

  /** Findings in {@code text}, sorted by start, without overlaps. */
  public List<Finding> scan(String text) {
    ScanText scan = new ScanText(text);
    List<Finding> raw = new ArrayList<>();
    for (PhiDetector d : detectors) {
      d.detect(scan, raw::add);
    }
    return FindingResolver.resolve(raw);
  }
}
