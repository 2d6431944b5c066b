package org.wardline.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {
    @Test
    void lineShowsPhaseElapsedCountAndRate() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Progress progress = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), false)) {
            progress.phase("relay: sending", "msg");
            progress.add(1500);
            String line = progress.line();

            assertThat(line).startsWith("relay: sending  ").contains(" s  1,500 msg  (").endsWith(" msg/s)");
            assertThat(progress.done()).isEqualTo(1500);

            progress.phase("relay: draining", "");
            assertThat(progress.line()).matches("relay: draining  \\d+\\.\\d s");
            assertThat(progress.done()).isZero();
        }
    }
}
