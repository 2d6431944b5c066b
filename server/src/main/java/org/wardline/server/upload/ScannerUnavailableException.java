package org.wardline.server.upload;

/** No malware scanner answered, so the upload was refused and nothing kept (fail closed). */
final class ScannerUnavailableException extends RuntimeException {
    ScannerUnavailableException(String reason) {
        super("malware scanner unavailable: " + reason, null, false, false);
    }
}
