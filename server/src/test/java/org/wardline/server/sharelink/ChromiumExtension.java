package org.wardline.server.sharelink;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real headless Chromium driven by the Debian chromedriver. Each {@link #newBrowser()} is a fresh profile (a
 * second browser for the same link). Where chromium or chromedriver is missing the tests are skipped with the
 * reason, except when {@code CI=true}, where that fails them.
 */
public final class ChromiumExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final List<WebDriver> drivers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        requireChromium();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        requireChromium();
    }

    private static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String reason = "chromium or chromedriver is not installed (Debian: apt-get install chromium chromium-driver)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new ExtensionConfigurationException(reason + "; CI=true requires them");
            }
            Assumptions.abort(reason + "; skipping the browser tests");
        }
    }

    /** A new headless browser with an empty profile; closed after the test. */
    public WebDriver newBrowser() {
        return newBrowser(null);
    }

    /** A new headless browser whose downloads are saved, without asking, in {@code downloads} (when not null). */
    public WebDriver newBrowser(Path downloads) {
        try {
            Path profile = Files.createTempDirectory("wardline-chromium-");
            profiles.add(profile);
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--user-data-dir=" + profile,
                    // Test only: the dev server's certificate chains to the throwaway dev CA of this test run,
                    // which no browser trusts. Production browsers verify the public certificate normally.
                    "--ignore-certificate-errors");
            if (downloads != null) {
                options.setExperimentalOption("prefs", java.util.Map.of("download.default_directory", downloads.toString(),
                        "download.prompt_for_download", false, "download.directory_upgrade", true));
            }
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            drivers.add(driver);
            return driver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        drivers.forEach(WebDriver::quit);
        drivers.clear();
        for (Path profile : profiles) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException ignored) {
                // a leftover temp profile is harmless
            }
        }
        profiles.clear();
    }
}
