package org.wardline.clients.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where every client command looks for this device's identity: --identity DIR, then $WARDLINE_HOME, then $HOME. */
class IdentityLocationTest {
    @TempDir
    Path dir;

    private String err;

    /** Runs enroll, which refuses at once, naming the keystore it found, when an identity is already there. */
    private int enroll(Map<String, String> env, String... extra) {
        StringWriter out = new StringWriter();
        StringWriter e = new StringWriter();
        List<String> args = new ArrayList<>(List.of("enroll", "--server", "https://127.0.0.1:1", "--code", "X",
                "--ca-fingerprint", "AB".repeat(32)));
        args.addAll(List.of(extra));
        int rc = WardlineCli.run(new PrintWriter(out, true), new PrintWriter(e, true), env, args.toArray(String[]::new));
        err = e.toString();
        return rc;
    }

    private Path existing(String folder) throws Exception {
        Path p = dir.resolve(folder).resolve("device.p12");
        Files.createDirectories(p.getParent());
        return Files.writeString(p, "existing");
    }

    @Test
    void theIdentityOptionWinsOverWardlineHomeWhichWinsOverHome() throws Exception {
        Path option = existing("option");
        Path wardlineHome = existing("wardline-home");
        Path home = existing("home/.wardline");
        Map<String, String> env = new HashMap<>(Map.of("HOME", dir.resolve("home").toString(),
                "WARDLINE_HOME", wardlineHome.getParent().toString()));

        assertThat(enroll(env, "--identity", option.getParent().toString())).isEqualTo(1);
        assertThat(err).contains(option + " already exists");

        assertThat(enroll(env)).isEqualTo(1);
        assertThat(err).contains(wardlineHome + " already exists");

        env.remove("WARDLINE_HOME");
        assertThat(enroll(env)).isEqualTo(1);
        assertThat(err).contains(home + " already exists");
    }

    @Test
    void aKeystoreFileStillWorksAsTheIdentity() throws Exception {
        Path file = Files.writeString(dir.resolve("laptop.p12"), "existing");
        assertThat(enroll(Map.of("HOME", dir.toString()), "--identity", file.toString())).isEqualTo(1);
        assertThat(err).contains(file + " already exists");
    }

    @Test
    void everyCommandThatUsesTheIdentitySaysWhereItLooksInItsHelp() {
        List<String> checked = new ArrayList<>();
        walk(WardlineCli.commandLine(), checked);
        assertThat(checked).contains("wardline enroll", "wardline login", "wardline share", "wardline chat",
                "wardline admin users invite", "wardline admin devices wipe", "wardline admin bootstrap");
    }

    private static void walk(CommandLine cl, List<String> checked) {
        if (cl.getCommandSpec().findOption("--identity") != null) {
            StringWriter help = new StringWriter();
            cl.usage(new PrintWriter(help));
            assertThat(help.toString().replaceAll("\\s", "")).as(cl.getCommandSpec().qualifiedName())
                    .contains("identityfolder:--identityDIR,else$WARDLINE_HOME,else$HOME/.wardline");
            checked.add(cl.getCommandSpec().qualifiedName());
        }
        cl.getSubcommands().values().forEach(c -> walk(c, checked));
    }
}
