package org.wardline.server.backup;

import java.io.InputStream;
import java.io.OutputStream;

/** Where a backup's parts are written: a directory, or a prefix in an S3 bucket. */
interface BackupStore {
    /** A stream that stores the part {@code name} when closed. */
    OutputStream create(String name);

    /** The part {@code name}; fails with a {@link BackupException} naming it when it is missing. */
    InputStream open(String name);

    boolean exists(String name);

    String describe();
}
