package org.wardline.server.firststeps;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two launcher commands that both build (./wardline dev in one terminal and chat in another on a first run) must
 * not build at once: they share node_modules and target/. The launcher is the real script, copied beside a
 * stand-in for ./mvnw that only records when it runs (the lock is what is under test, not Maven).
 */
class LauncherBuildLockTest {
    @TempDir
    Path root;

    @Test
    void aSecondBuildInTheSameCheckoutWaitsForTheFirstAndSaysSo() throws Exception {
        Files.copy(launcher(), root.resolve("wardline"));
        Path log = root.resolve("builds.log");
        Path mvnw = root.resolve("mvnw");
        Files.writeString(mvnw, """
                #!/usr/bin/env bash
                log="$(dirname "$0")/builds.log"
                echo "start $1" >> "$log"
                [ -e /proc/self/fd/9 ] && echo "lock descriptor inherited" >> "$log"
                sleep 2
                echo "end $1" >> "$log"
                """);
        for (Path p : List.of(mvnw, root.resolve("wardline"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        Process first = build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains("start")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Process second = build();
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String secondSaid = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(first.exitValue()).isZero();
        assertThat(second.exitValue()).as(secondSaid).isZero();
        assertThat(Files.readAllLines(log)).as("one build after the other, the lock not passed to Maven")
                .containsExactly("start -B", "end -B", "start -B", "end -B");
        assertThat(secondSaid).contains("another build or test run is using this checkout; waiting");
    }

    private Process build() throws Exception {
        return new ProcessBuilder("bash", root.resolve("wardline").toString(), "build")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static Path launcher() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("wardline")) && Files.exists(here.resolve("server")) ? here.resolve("wardline")
                : here.getParent().resolve("wardline");
    }
}
