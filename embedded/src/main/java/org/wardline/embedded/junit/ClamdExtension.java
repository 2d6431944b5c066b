package org.wardline.embedded.junit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.wardline.embedded.ClamdProcess;

/**
 * A real clamd (started once per test JVM with the project's test signature database, which detects EICAR
 * alone and inside archives). Where clamd is not installed the tests are skipped with the reason, except
 * when {@code CI=true}, where a missing clamd fails them.
 */
public final class ClamdExtension implements BeforeAllCallback, BeforeEachCallback {
    /** The largest stream the test clamd accepts; beyond it clamd must report the limit, never clean. */
    public static final long STREAM_LIMIT = SharedServices.CLAMD_STREAM_LIMIT;

    @Override
    public void beforeAll(ExtensionContext context) {
        requireClamd();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        requireClamd();
    }

    private static ClamdProcess requireClamd() {
        var clamd = SharedServices.clamd();
        if (clamd.isEmpty()) {
            String reason = "clamd is not installed (Debian: apt-get install clamav-daemon)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new ExtensionConfigurationException(reason + "; CI=true requires it");
            }
            Assumptions.abort(reason + "; skipping the clamd tests");
        }
        return clamd.get();
    }

    public String host() {
        return requireClamd().host();
    }

    public int port() {
        return requireClamd().port();
    }

    /** Stops the shared clamd, so a test can check that callers fail closed; the next use starts a new one. */
    public void stop() {
        requireClamd().close();
    }
}
