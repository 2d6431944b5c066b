package org.wardline.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SupervisedClamdTest {
    @TempDir
    Path dir;

    @Test
    void aKilledClamdLeavesNoSpooledPlaintextAndIsStartedAgainOnItsPort() throws Exception {
        try (SupervisedClamd clamd = SupervisedClamd.start(ClamdProcess.findBinary().orElseThrow(), dir, 8 << 20, false,
                Duration.ofSeconds(90))) {
            ClamdProcess first = clamd.current();
            Path scratch = first.scratch();
            try (Socket upload = new Socket(clamd.host(), clamd.port())) {
                OutputStream out = upload.getOutputStream();
                out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[256 * 1024];
                out.write(ByteBuffer.allocate(4).putInt(chunk.length).array());
                out.write(chunk);
                out.flush();
                awaitTrue(() -> files(scratch) > 0, Duration.ofSeconds(20), "clamd spools the stream it scans");

                ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
                awaitTrue(() -> !Files.exists(scratch), Duration.ofSeconds(10), "the dead clamd's spool is removed");
            }
            awaitTrue(() -> clamd.current() != null && clamd.current() != first
                    && ClamdProcess.ping(clamd.host(), clamd.port(), Duration.ofMillis(500)),
                    Duration.ofSeconds(60), "a new clamd answers on the same port");
        }
    }

    @Test
    void aClamdStoppedOnPurposeStaysStopped() throws Exception {
        SupervisedClamd clamd = SupervisedClamd.start(ClamdProcess.findBinary().orElseThrow(), dir, 1 << 20, false,
                Duration.ofSeconds(90));
        ClamdProcess first = clamd.current();
        clamd.close();
        assertThat(first.isAlive()).isFalse();
        assertThat(ClamdProcess.ping(clamd.host(), clamd.port(), Duration.ofMillis(500))).isFalse();
        assertThat(clamd.current()).isSameAs(first);
    }

    @Test
    void theSpoolOfAClamdThatDiedWithItsJvmIsRemovedAtTheNextStart() throws Exception {
        Path leftover = Files.createTempDirectory(Path.of("/dev/shm"), "wardline-clamd-");
        Files.write(leftover.resolve("clamav-0123.tmp"), new byte[4096]);
        Files.createDirectories(dir);
        Files.write(dir.resolve(ClamdProcess.PID_FILE), List.of("999999999", leftover.toString()));

        try (ClamdProcess clamd = ClamdProcess.start(ClamdProcess.findBinary().orElseThrow(), dir, 1 << 20, false,
                Duration.ofSeconds(90))) {
            assertThat(leftover).doesNotExist();
            assertThat(clamd.scratch()).isNotEqualTo(leftover);
        }
    }

    private static long files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
