package org.wardline.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.junit.ClamdExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ClamdProcessTest {
    @RegisterExtension
    static final ClamdExtension CLAMD = new ClamdExtension();

    /** The raw INSTREAM exchange, so this module tests clamd itself without the DLP module's client. */
    private static String instream(byte[] content) throws IOException {
        try (Socket socket = new Socket(CLAMD.host(), CLAMD.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
            int chunk = 1 << 16;
            try {
                for (int off = 0; off < content.length; off += chunk) {
                    int len = Math.min(chunk, content.length - off);
                    out.write(ByteBuffer.allocate(4).putInt(len).array());
                    out.write(content, off, len);
                }
                out.write(new byte[4]);
                out.flush();
            } catch (IOException closedByClamd) {
                // clamd closes the socket once a stream passes its limit; its reply is still readable.
            }
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).replace("\0", "").trim();
        }
    }

    private static byte[] zip(String name, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void detectsEicarAloneAndInsideNestedZips() throws IOException {
        byte[] eicar = TestSignatures.EICAR.getBytes(StandardCharsets.US_ASCII);
        assertThat(instream(eicar)).endsWith("FOUND").contains("Wardline.Test.EICAR");
        assertThat(instream(zip("report.pdf", eicar))).endsWith("FOUND");
        assertThat(instream(zip("inner.zip", zip("report.pdf", eicar)))).endsWith("FOUND");
    }

    @Test
    void cleanContentIsOk() throws IOException {
        assertThat(instream("an ordinary lab report".getBytes(StandardCharsets.US_ASCII))).isEqualTo("stream: OK");
    }

    @Test
    void aStreamOverTheLimitIsNeverReportedClean() throws IOException {
        byte[] big = new byte[(int) ClamdExtension.STREAM_LIMIT + (1 << 20)];
        assertThat(instream(big)).isNotEqualTo("stream: OK").containsIgnoringCase("limit");
    }

    @Test
    void clamdSpoolsScannedStreamsOnAMemoryBackedFileSystemNotOnDisk(@org.junit.jupiter.api.io.TempDir Path work) throws IOException {
        Path scratch = ClamdProcess.scratchDirectory(work);
        try {
            assertThat(Files.getFileStore(scratch).type()).as("the file system under " + scratch).isEqualTo("tmpfs");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch)))
                    .isEqualTo("rwx------");
        } finally {
            Files.delete(scratch);
        }
    }

    @Test
    void theConfigurationTurnsOnTheAlertsClamdLeavesOff() {
        String conf = ClamdProcess.configuration(3310, Path.of("/db"), Path.of("/tmp"), Path.of("/log"), 100L << 20);
        assertThat(conf).contains("AlertExceedsMax yes", "AlertEncrypted yes", "StreamMaxLength 100M",
                "TCPAddr 127.0.0.1");
    }
}
