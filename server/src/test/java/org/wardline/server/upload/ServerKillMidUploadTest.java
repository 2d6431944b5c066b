package org.wardline.server.upload;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.FaultChecks;
import org.wardline.server.testing.FaultTable;
import org.wardline.server.testing.NodeProcess;
import org.wardline.server.testing.ProcessCluster;
import org.wardline.server.testing.SignedInDevice;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server killed with {@code kill -9} mid-upload, as in the fault trial (issue 22, item 2): the node receiving a
 * large upload runs in a JVM of its own ({@link ProcessCluster}'s child, a {@code wardline serve} process), so no
 * shutdown hook or error path runs. The crash leaves a PENDING object with a live data key and parts in S3; the same
 * node started again on the same data sweeps it at start once it is older than {@code uploads.abandonedAfterMinutes}
 * (its age is set back in the database rather than waited for: the setting's minimum is 10 minutes). What the
 * sweep leaves in S3 is counted as residue in the fault table but does not fail the test (see {@link #s3FilesLeft}).
 */
class ServerKillMidUploadTest {
    private static ProcessCluster cluster;
    private static SignedInDevice alice;

    @BeforeAll
    static void start() throws Exception {
        cluster = ProcessCluster.start(1, Duration.ofSeconds(120));
        alice = EnrolledDevices.enroll(cluster.local());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aServerKilledMidUploadLeavesAPendingObjectThatItsNextStartSweepsWithKeyAndParts() throws Exception {
        for (int round = 1; round <= FaultTable.rounds(); round++) {
            killOnce(round);
        }
    }

    private void killOnce(int round) throws Exception {
        NodeProcess node = cluster.child(1);
        long filesBefore = filesIn("wardline-objects") + filesIn("wardline-quarantine"); // an earlier round's stubs
        UUID id;
        try (SSLSocket socket = (SSLSocket) alice.sslContext().getSocketFactory()
                .createSocket("127.0.0.1", node.devicePort())) {
            socket.startHandshake();
            Thread.ofVirtual().name("endless-upload").start(() -> sendEndlessBody(socket));
            id = awaitPending();
            FaultChecks.awaitTrue(() -> filesIn("wardline-objects") + filesIn("wardline-quarantine") > filesBefore,
                    Duration.ofSeconds(60), "the upload's first part is in S3");
            node.kill();
        }
        assertThat(count("SELECT count(*) FROM stored_objects WHERE state = 'PENDING' AND object_id = '" + id + "'"))
                .as("the crash leaves the object PENDING").isEqualTo(1);
        assertThat(count(liveKeyOf(id))).as("with a live data key").isEqualTo(1);

        sql("UPDATE stored_objects SET created_at = now() - interval '7 hours' WHERE object_id = '" + id + "'");
        long restarted = System.nanoTime();
        cluster.restart(1, Duration.ofSeconds(120));
        Duration ready = FaultChecks.since(restarted);
        FaultChecks.awaitTrue(() -> count("SELECT count(*) FROM stored_objects WHERE object_id = '" + id
                        + "' AND state = 'DELETED' AND display_name IS NULL") == 1, Duration.ofSeconds(30),
                "the restarted node's start-up sweep discards the abandoned upload without its file name");
        Duration swept = FaultChecks.since(restarted);
        assertThat(count(liveKeyOf(id))).as("its data key is destroyed").isZero();
        // The sweep writes its audit entries after the discard: waited for, not read at once.
        FaultChecks.awaitTrue(() -> count("SELECT count(*) FROM audit_entries WHERE action = 'file.upload_abandoned' "
                + "AND object_id = '" + id + "'") == 1, Duration.ofSeconds(10), "and the discard audited");
        assertThat(count("SELECT count(*) FROM stored_objects WHERE state = 'PENDING'")).as("nothing PENDING").isZero();
        long s3Files = s3FilesLeft(filesBefore, Duration.ofSeconds(15));
        long residue = s3Files + count("SELECT count(*) FROM stored_objects WHERE state = 'PENDING'")
                + count(liveKeyOf(id));
        System.out.println("server killed mid-upload: ready again after " + ready.toMillis() + " ms, swept "
                + swept.toMillis() + " ms after the restart; files of the upload left in S3: " + s3Files);
        FaultTable.record("server kill -9 mid-upload", round, 0, "0/0", 0, 0, residue, "restarted node ready "
                + FaultTable.seconds(ready) + ", its start-up sweep discarded the PENDING row and key "
                + FaultTable.seconds(swept) + " after the restart; " + s3Files + " empty multipart stub files stay in S3");
        assertThat(residue - s3Files).as("nothing of the upload left in the database").isZero();
    }

    /**
     * Files of the killed upload still in s3proxy's buckets after {@code grace}. Not asserted: the sweep aborts the
     * recorded multipart upload and deletes the key, yet s3proxy's filesystem backend keeps the key's empty file and
     * the {@code .mpus-…-stub} (seen in every run so far; issue 22 item 2's "empty multipart stub files", not fixed).
     */
    private static long s3FilesLeft(long filesBefore, Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        long left = filesIn("wardline-objects") + filesIn("wardline-quarantine") - filesBefore;
        while (left > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            left = filesIn("wardline-objects") + filesIn("wardline-quarantine") - filesBefore;
        }
        return left;
    }

    private static String liveKeyOf(UUID id) {
        return "SELECT count(*) FROM data_keys WHERE object_id = '" + id + "' AND destroyed_at IS NULL";
    }

    /** A chunked upload of text that goes on until the node dies. */
    private static void sendEndlessBody(SSLSocket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Authorization: Bearer " + alice.bearer() + "\r\n" + FileRoutes.FILE_NAME_HEADER + ": "
                    + Base64.getUrlEncoder().encodeToString("notes for J. Doe.txt".getBytes(StandardCharsets.UTF_8))
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "routine ward notes, nothing of note\n".repeat(455).getBytes(StandardCharsets.US_ASCII);
            byte[] header = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] trailer = "\r\n".getBytes(StandardCharsets.US_ASCII);
            for (long sent = 0; sent < (1L << 30); sent += chunk.length) {
                out.write(header);
                out.write(chunk);
                out.write(trailer);
            }
        } catch (IOException e) {
            // the node died
        }
    }

    private static UUID awaitPending() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<UUID> ids = new ArrayList<>();
            cluster.local().database().pool().query("SELECT object_id FROM stored_objects WHERE state = 'PENDING'")
                    .execute().await().forEach(r -> ids.add(r.getUUID(0)));
            if (ids.size() == 1) {
                return ids.get(0);
            }
            assertThat(System.nanoTime()).as("the upload is PENDING").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Files under a bucket's directory in s3proxy's filesystem backend: objects and any multipart parts. */
    private static long filesIn(String bucket) {
        Path dir = cluster.dataDir().resolve("s3").resolve(bucket);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sql(String statement) {
        cluster.local().database().pool().query(statement).execute().await();
    }

    private static long count(String sql) {
        return cluster.local().database().pool().query(sql).execute().await().iterator().next().getLong(0);
    }
}
