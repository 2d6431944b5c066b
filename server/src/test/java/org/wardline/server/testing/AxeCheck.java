package org.wardline.server.testing;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** axe-core from the web clients' npm workspace (never a CDN), run in the page under test: nothing serious or critical. */
public final class AxeCheck {
    private static volatile String script;

    private AxeCheck() {
    }

    private static String script() {
        if (script == null) {
            Path root = Path.of(System.getProperty("wardline.repo.root", ".."));
            Path file = root.resolve("clients/web/node_modules/axe-core/axe.min.js");
            if (!Files.exists(file)) {
                file = Path.of("../clients/web/node_modules/axe-core/axe.min.js");
            }
            try {
                script = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException("axe-core is missing: run npm ci in clients/web (the server build does)", e);
            }
        }
        return script;
    }

    /** Asserts that axe finds nothing serious or critical (WCAG 2.2 AA tags) on the screen the browser shows now. */
    @SuppressWarnings("unchecked")
    public static void assertAccessible(WebDriver browser, String screen) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript(script());
        List<Map<String, Object>> violations = (List<Map<String, Object>>) js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } })
                  .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }))),
                        e => done([{ id: "axe-failed", impact: "critical", nodes: String(e) }]));
                """);
        assertThat(violations).as("axe findings on the %s screen", screen)
                .noneMatch(v -> "serious".equals(v.get("impact")) || "critical".equals(v.get("impact")));
    }
}
