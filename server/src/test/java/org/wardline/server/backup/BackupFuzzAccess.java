package org.wardline.server.backup;

/** Opens the package-private backup header reader to the fuzz targets. */
public final class BackupFuzzAccess {
    private BackupFuzzAccess() {
    }

    public static void decodeHeader(byte[] bytes) {
        BackupHeader.decode(bytes);
    }
}
