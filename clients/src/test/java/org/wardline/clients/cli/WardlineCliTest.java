package org.wardline.clients.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class WardlineCliTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return WardlineCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void enrollNeedsAServerACodeAndExactlyOneCaPin() {
        assertThat(run("enroll", "--code", "X")).isEqualTo(2);
        assertThat(err.toString()).contains("--server");
        assertThat(run("enroll", "--server", "https://127.0.0.1:1", "--code", "X", "--ca-fingerprint", "AB",
                "--ca-file", "ca.pem")).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    @Test
    void enrollRefusesToOverwriteAnIdentityAndABadPinBeforeAnyNetwork() throws Exception {
        Path identity = Files.writeString(dir.resolve("device.p12"), "existing");
        Path pass = Files.writeString(dir.resolve("pass"), "p\n");
        assertThat(run("enroll", "--server", "https://127.0.0.1:1", "--code", "X", "--ca-fingerprint", "AB".repeat(32),
                "--identity", identity.toString(), "--passphrase-file", pass.toString())).isEqualTo(WardlineCli.EXIT_FAILED);
        assertThat(err.toString()).contains("already exists");
        assertThat(Files.readString(identity)).isEqualTo("existing");

        assertThat(run("enroll", "--server", "https://127.0.0.1:1", "--code", "X", "--ca-fingerprint", "not-hex",
                "--identity", dir.resolve("new.p12").toString(), "--passphrase-file", pass.toString())).isEqualTo(WardlineCli.EXIT_FAILED);
        assertThat(err.toString()).contains("[client.pin]");
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("enroll", "renew", "whoami", "chat");
    }

    @Test
    void chatIsOnTheCommandLineAndNeedsAnIdentity() throws Exception {
        assertThat(run("chat", "--help")).isZero();
        assertThat(out.toString()).contains("--identity", "--passphrase-file", "--state", "--downloads");
        Path pass = Files.writeString(dir.resolve("pass"), "p\n");
        assertThat(run("chat", "--identity", dir.resolve("missing.p12").toString(), "--passphrase-file", pass.toString()))
                .isEqualTo(WardlineCli.EXIT_FAILED);
        assertThat(err.toString()).startsWith("wardline: ");
    }
}
