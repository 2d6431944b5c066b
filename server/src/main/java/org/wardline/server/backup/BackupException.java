package org.wardline.server.backup;

/** A backup or restore cannot go on; the message names what failed and holds no data from the backup. */
public final class BackupException extends RuntimeException {
    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
