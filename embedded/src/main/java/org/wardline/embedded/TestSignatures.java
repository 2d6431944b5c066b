package org.wardline.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The project's own ClamAV signature database, shipped because no signature download is possible on the
 * machines that build Wardline. It detects the EICAR test file by hash and by body (so also inside archives).
 * {@code config/clamav/make-test-signatures.sh} regenerates it with {@code sigtool}.
 */
public final class TestSignatures {
    /** The EICAR anti-virus test string: harmless, and detected by every scanner. */
    public static final String EICAR =
            "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    static final List<String> FILES = List.of("wardline-test.hdb", "wardline-test.ndb");

    private TestSignatures() {
    }

    /** Copies the signature files into a clamd database directory. */
    public static void install(Path databaseDir) {
        for (String name : FILES) {
            try (InputStream in = TestSignatures.class.getResourceAsStream("clamav/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("missing bundled signature file " + name);
                }
                Files.copy(in, databaseDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("could not install test signatures", e);
            }
        }
    }
}
