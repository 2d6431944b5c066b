package org.wardline.server.upload;

import org.wardline.dlp.policy.Verdict;
import org.wardline.storage.object.StoredObject;

import java.util.Optional;

/**
 * What became of an upload: the stored object when it was committed or quarantined, and the verdict that
 * decided it (codes and counts only, never matched text).
 */
record UploadResult(Outcome outcome, Optional<StoredObject> object, Verdict verdict, String detectedType) {
    enum Outcome { COMMITTED, QUARANTINED, BLOCKED, INFECTED, JUSTIFICATION_REQUIRED }
}
