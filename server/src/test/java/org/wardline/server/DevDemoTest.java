package org.wardline.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.cli.WardlineCli;
import org.wardline.server.dev.DemoOrganisation;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ./wardline dev --demo}: a demo organisation a newcomer can sign in to at once, marked as demo data. */
class DevDemoTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @TempDir
    Path scratch;

    private static String cli(String who, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = WardlineCli.run(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(
                "WARDLINE_HOME", WARDLINE.dataDir().resolve("demo").resolve(who).toString(),
                "WARDLINE_DEVICE_PASSPHRASE", "demo device passphrase"), args);
        assertThat(rc).as(who + " " + String.join(" ", args) + "\n" + out + err).isZero();
        return out.toString();
    }

    @Test
    void theDemoOrganisationIsSeededSignedInMarkedAndShownAgainButNeverOverARealInstallation() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DemoOrganisation.seedOrShow(WARDLINE.server(), WARDLINE.dataDir(), new PrintStream(printed, true, StandardCharsets.UTF_8));
        String sheet = printed.toString(StandardCharsets.UTF_8);
        assertThat(sheet).startsWith("==== DEMO DATA").contains("demo.admin", "demo.officer", "dr.demo.grey", "nurse.demo.joy",
                "dr.demo.shah", "authenticator key", "/s/", "END OF DEMO DATA");
        Path file = WARDLINE.dataDir().resolve("demo").resolve(DemoOrganisation.SHEET);
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);

        JsonArray users = new JsonObject(cli("demo.admin", "admin", "users", "list", "--json")).getJsonArray("users");
        assertThat(users).hasSize(5);
        assertThat(cli("demo.admin", "admin", "teams", "list")).contains("Demo Ward (demo data)",
                "dr.demo.grey, dr.demo.shah, nurse.demo.joy");
        JsonArray devices = new JsonObject(cli("demo.officer", "admin", "devices", "list", "--json")).getJsonArray("devices");
        assertThat(devices).hasSize(5).allSatisfy(d -> assertThat(((JsonObject) d).getString("revokedAt")).isNull());
        assertThat(cli("nurse.demo.joy", "share", "list")).contains("active");
        assertThat(cli("dr.demo.grey", "whoami")).contains("demo device of dr.demo.grey");
        long messages = WARDLINE.server().database().pool().query("SELECT count(*) FROM conversations").execute()
                .toCompletionStage().toCompletableFuture().get().iterator().next().getLong(0);
        assertThat(messages).as("the demo conversation").isEqualTo(1);

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        DemoOrganisation.seedOrShow(WARDLINE.server(), WARDLINE.dataDir(), new PrintStream(again, true, StandardCharsets.UTF_8));
        assertThat(again.toString(StandardCharsets.UTF_8)).isEqualTo(sheet);
        assertThat(new JsonObject(cli("demo.admin", "admin", "users", "list", "--json")).getJsonArray("users"))
                .as("a restart with --demo seeds nothing twice").hasSize(5);

        Files.delete(file);
        assertThatThrownBy(() -> DemoOrganisation.seedOrShow(WARDLINE.server(), WARDLINE.dataDir(), System.out))
                .as("a claimed installation without the demo sheet is real: no demo data goes into it")
                .hasMessageContaining("--demo refuses this data directory");
    }

    @Test
    void serveRefusesDemoData() throws Exception {
        Path config = Files.writeString(scratch.resolve("wardline.yaml"), "server: {}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new PrintStream(out, true), new PrintStream(err, true), "serve", "--config", config.toString(), "--demo");
        assertThat(rc).isEqualTo(Main.EXIT_INVALID_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--demo", "only in dev mode");
    }
}
