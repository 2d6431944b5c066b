package org.wardline.dlp.policy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.wardline.dlp.detect.PhiCategory;

/**
 * What a verdict found, for the person who must act on it: "2 names, 1 medical record number, 3 dates".
 * Built from the verdict's PHI reasons (categories and counts), so it never holds matched text.
 */
public final class FindingsPhrase {

  private static final Map<PhiCategory, String[]> WORDS = words();

  private FindingsPhrase() {}

  private static Map<PhiCategory, String[]> words() {
    Map<PhiCategory, String[]> w = new EnumMap<>(PhiCategory.class);
    w.put(PhiCategory.SSN, new String[] {"social security number", "social security numbers"});
    w.put(PhiCategory.MBI, new String[] {"Medicare number", "Medicare numbers"});
    w.put(PhiCategory.NPI, new String[] {"provider number (NPI)", "provider numbers (NPI)"});
    w.put(PhiCategory.DEA_NUMBER, new String[] {"DEA number", "DEA numbers"});
    w.put(PhiCategory.PAYMENT_CARD, new String[] {"payment card number", "payment card numbers"});
    w.put(PhiCategory.MRN, new String[] {"medical record number", "medical record numbers"});
    w.put(PhiCategory.ACCOUNT_NUMBER, new String[] {"account number", "account numbers"});
    w.put(PhiCategory.HEALTH_PLAN_ID, new String[] {"health plan ID", "health plan IDs"});
    w.put(PhiCategory.EMAIL, new String[] {"email address", "email addresses"});
    w.put(PhiCategory.URL, new String[] {"web address", "web addresses"});
    w.put(PhiCategory.IP_ADDRESS, new String[] {"IP address", "IP addresses"});
    w.put(PhiCategory.PHONE, new String[] {"phone number", "phone numbers"});
    w.put(PhiCategory.FAX, new String[] {"fax number", "fax numbers"});
    w.put(PhiCategory.STREET_ADDRESS, new String[] {"street address", "street addresses"});
    w.put(PhiCategory.ZIP_CODE, new String[] {"ZIP code", "ZIP codes"});
    w.put(PhiCategory.DATE, new String[] {"date", "dates"});
    w.put(PhiCategory.AGE_OVER_89, new String[] {"age over 89", "ages over 89"});
    w.put(PhiCategory.PERSON_NAME, new String[] {"name", "names"});
    w.put(PhiCategory.LOCATION, new String[] {"hospital or town", "hospitals or towns"});
    if (w.size() != PhiCategory.values().length) {
      throw new IllegalStateException("a PHI category has no words");
    }
    return w;
  }

  /** "2 names, 1 date" for the verdict's PHI reasons, in category order; empty when it has none. */
  public static Optional<String> of(Verdict verdict) {
    Map<PhiCategory, Integer> counts = new EnumMap<>(PhiCategory.class);
    for (Verdict.Reason r : verdict.reasons()) {
      if (r.code().startsWith("phi.")) {
        try {
          counts.merge(PhiCategory.valueOf(r.code().substring(4)), r.count(), Integer::sum);
        } catch (IllegalArgumentException unknown) {
          // a code from a newer pack: counted by the reasons list, not named here
        }
      }
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((c, n) -> parts.add(String.format(Locale.ROOT, "%d %s", n, WORDS.get(c)[n == 1 ? 0 : 1])));
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", parts));
  }
}
