package org.wardline.server.upload;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.ClamdProcess;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.FaultChecks;
import org.wardline.server.testing.FaultTable;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * clamd that hangs, as SIGSTOP of it did in the fault trial: the dev clamd is stopped with {@code kill -STOP} (it keeps
 * every connection open and answers nothing) and continued with {@code kill -CONT}. An upload during the stall must be
 * refused as the scanner's within seconds of the scanner timeout, leave nothing PENDING, and leave no plaintext in
 * clamd's scratch directory once clamd runs again; readiness says so during the stall and is back after it.
 */
class ClamdStallTest {
    /** The server's {@code dlp.malware.timeoutMillis} in this test. */
    private static final Duration SCAN_TIMEOUT = Duration.ofSeconds(4);

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of(
            "WARDLINE_DLP_MALWARE_TIMEOUT_MILLIS", Long.toString(SCAN_TIMEOUT.toMillis())));

    private static SignedInDevice alice;

    @BeforeAll
    static void device() throws Exception {
        alice = EnrolledDevices.enroll(WARDLINE.server());
    }

    @Test
    void clamdStalledRefusesUploadsWithinSecondsLeavesNoSpoolAndRecovers() throws Exception {
        for (int round = 1; round <= FaultTable.rounds(); round++) {
            stallOnce(round);
        }
    }

    private void stallOnce(int round) throws Exception {
        int port = WARDLINE.server().devicePort();
        ClamdProcess clamd = WARDLINE.dev().clamd().orElseThrow().current();
        long refusedBefore = count(REFUSED_AS_SCANNER);
        long committedBefore = count("SELECT count(*) FROM stored_objects WHERE state = 'COMMITTED'");
        String notes = "routine ward notes, nothing of note\n".repeat(30_000);

        Duration refusedAfter;
        HttpResponse<String> refused;
        FaultChecks.Ready during;
        signal("STOP", clamd.pid());
        long stopped = System.nanoTime();
        try {
            refused = FaultChecks.upload(alice, port, notes, Duration.ofSeconds(150));
            refusedAfter = FaultChecks.since(stopped);
            during = FaultChecks.ready(alice, port);
        } finally {
            signal("CONT", clamd.pid());
        }
        long continued = System.nanoTime();
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.body()).contains("scanner");
        assertThat(refusedAfter).as("refused within seconds of the scanner timeout, not at the 120 s idle timeout")
                .isLessThan(SCAN_TIMEOUT.plusSeconds(10));
        assertThat(during.status()).as("readiness is honest while clamd hangs: " + during.body()).isEqualTo(503);

        FaultChecks.awaitTrue(() -> count(REFUSED_AS_SCANNER) == refusedBefore + 1, Duration.ofSeconds(10),
                "the refusal is audited as the scanner's");
        FaultChecks.awaitTrue(() -> count("SELECT count(*) FROM stored_objects WHERE state = 'PENDING'") == 0,
                Duration.ofSeconds(10), "nothing left PENDING");
        FaultChecks.awaitTrue(() -> spooled(clamd.scratch()) == 0, Duration.ofSeconds(30),
                "no plaintext left in clamd's scratch directory once it runs again");
        FaultChecks.awaitTrue(() -> FaultChecks.ready(alice, port).status() == 200, Duration.ofSeconds(30),
                "readiness is back once clamd runs again");
        Duration recovered = FaultChecks.since(continued);
        assertThat(recovered).as("readiness back within seconds").isLessThan(Duration.ofSeconds(20));

        HttpResponse<String> again = FaultChecks.upload(alice, port, notes, Duration.ofSeconds(60));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        long residue = count("SELECT count(*) FROM stored_objects WHERE state = 'PENDING'") + spooled(clamd.scratch())
                + count("SELECT count(*) FROM stored_objects WHERE state = 'COMMITTED'") - committedBefore - 1;
        System.out.println("clamd stalled: the upload " + refused.statusCode() + " after " + refusedAfter.toMillis()
                + " ms; continued: ready after " + recovered.toMillis() + " ms");
        FaultTable.record("clamd stalled (SIGSTOP)", round, 1, "1/1", 0, 0, residue, "upload 503 after "
                + FaultTable.seconds(refusedAfter) + " (scan timeout " + FaultTable.seconds(SCAN_TIMEOUT) + "), ready "
                + FaultTable.seconds(recovered) + " after SIGCONT, no spool left");
        assertThat(residue).isZero();
    }

    private static final String REFUSED_AS_SCANNER = "SELECT count(*) FROM audit_entries WHERE action = 'file.uploaded' "
            + "AND outcome = 'failure' AND details LIKE '%scanner%'";

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + name + " " + pid).isZero();
    }

    /** Regular files under clamd's scratch directory: what an INSTREAM scan spooled and did not remove. */
    private static long spooled(Path scratch) {
        if (!Files.isDirectory(scratch)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(scratch)) {
            return files.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long count(String sql) {
        return WARDLINE.server().database().pool().query(sql).execute().await().iterator().next().getLong(0);
    }
}
