package org.wardline.dlp.policy;

import java.util.Map;

/**
 * Decisions for properties of the content rather than PHI in it.
 *
 * @param executable a native executable anywhere in the content
 * @param script a script or Java archive anywhere in the content
 * @param forbiddenTypes media types (base type, e.g. {@code application/x-iso9660-image}) and their decision
 * @param encrypted encrypted archive or document that could not be read
 * @param typeMismatch content contradicts the declared type
 * @param suspiciousEntryNames archive entry names with ".." or absolute paths
 * @param scanIncomplete extraction stopped by a limit, corrupt content, or a malware scan that could not read
 *     everything: never clean, so never {@link Decision#ALLOW} or {@link Decision#TAG}
 * @param scannerUnavailable the malware scanner gave no answer: only {@link Decision#QUARANTINE} or
 *     {@link Decision#BLOCK}
 */
public record ContentRules(
    Decision executable,
    Decision script,
    Map<String, Decision> forbiddenTypes,
    Decision encrypted,
    Decision typeMismatch,
    Decision suspiciousEntryNames,
    Decision scanIncomplete,
    Decision scannerUnavailable) {

  public ContentRules {
    forbiddenTypes = Map.copyOf(forbiddenTypes);
  }
}
