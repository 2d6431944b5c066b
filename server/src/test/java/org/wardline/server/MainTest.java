package org.wardline.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.embedded.FreePorts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MainTest {
    @TempDir
    Path dir;

    @Test
    void aConfigurationWithThreeMistakesPrintsAllThreeAndOpensNoPort() throws IOException {
        int publicPort = FreePorts.pick();
        Path config = dir.resolve("wardline.yaml");
        Files.writeString(config, """
                server:
                  public: {port: %d}
                  device: {port: 70000}
                  publicUrl: https://wardline.example.org
                tls:
                  minVersion: TLSv1.0
                  certificate: server.crt
                  privateKey: server.key
                pki: {passphrase: x}
                database: {host: 127.0.0.1}
                storage:
                  s3: {endpoint: https://s3.example.org, secretKey: x}
                keys: {passphrase: x}
                dlp:
                  rulePacks: %s
                  malware: {host: 127.0.0.1}
                mail:
                  smtp: {host: smtp.example.org}
                """.formatted(publicPort, Path.of(System.getProperty("wardline.repo.root", ".."), "config/dlp").toAbsolutePath()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Main.run(new PrintStream(out), new PrintStream(err), "serve", "--config", config.toString());

        assertThat(exit).isEqualTo(Main.EXIT_INVALID_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "3 configuration problem(s)",
                "server.device.port: must be between 0 and 65535",
                "tls.minVersion: must be TLSv1.2 or TLSv1.3",
                "storage.s3.accessKey: required");
        assertThatThrownBy(() -> new Socket("127.0.0.1", publicPort).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void checkConfigAcceptsTheShippedExampleOnceSecretsComeFromTheEnvironment() {
        Path example = Path.of(System.getProperty("wardline.repo.root", "..")).resolve("config/wardline.example.yaml");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err), "check-config", "--config", example.toString());
        assertThat(exit).isEqualTo(Main.EXIT_INVALID_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("pki.passphrase: required (set it here or in WARDLINE_PKI_PASSPHRASE)",
                        "storage.s3.secretKey: required", "keys.passphrase: required")
                .doesNotContain("unknown setting");
    }
}
