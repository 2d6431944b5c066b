package org.wardline.server.firststeps;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.cli.WardlineCli;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.protocol.Secret;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.bootstrap.BootstrapCodes;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's "First steps" exactly as written (the lines are read from README.md, so the two cannot drift),
 * answering the prompts as a person would: the bootstrap code the banner shows, passwords, the codes of an
 * authenticator app set up from the secret each command prints. Then the patient opens the link nurse.joy sent.
 * {@code ./wardline X} runs the client in this JVM; {@code chat}, which needs a terminal, in its own JVM on a pipe.
 */
class FirstStepsReadmeTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();
    private static final Pattern TOTP_KEY = Pattern.compile("type the key by hand: ([A-Z2-7=]+)");
    private static final String MESSAGE = "Potassium for bed 4 is back at 5.9, please review before the round";

    @TempDir
    Path pwd;

    private final Map<String, String> shellVars = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, WardlineApi.Account> authenticators = new HashMap<>();
    private final List<Chat> openChats = new ArrayList<>();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private String lastOut = "";

    @BeforeEach
    void captureTheServerConsole() {
        originalOut = System.out;
        System.setOut(new PrintStream(new Tee(originalOut, console), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        openChats.forEach(c -> c.process.destroyForcibly());
    }

    @Test
    void theReadmeFirstStepsGetFromDevToAMessageAndALinkOpenedByThePatient() throws Exception {
        List<ReadmeCommands.Line> lines = ReadmeCommands.section(readme(), "First steps");
        assertThat(lines.get(0).text()).isEqualTo("./wardline dev");
        shellVars.put("PWD", pwd.toString());
        env.put("HOME", pwd.resolve("home").toString());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        String shareOutput = null;
        for (ReadmeCommands.Line line : lines.subList(1, lines.size())) {
            run(line);
            if (line.text().contains("./wardline share ") && !line.text().contains("share list")) {
                shareOutput = lastOut;
            }
        }
        assertThat(openChats).as("dr.grey's chat was left open and saw the message").isEmpty();
        assertThat(shareOutput).as("the README shares a file").isNotNull();
        aPatientOpensTheLink(shareOutput);
    }

    private void run(ReadmeCommands.Line line) throws Exception {
        String text = line.text();
        Matcher captured = Pattern.compile("^([A-Z_]+)=\\$\\((.*)\\)$").matcher(text);
        if (captured.matches()) {
            shellVars.put(captured.group(1), cli(words(captured.group(2)), line).strip());
            return;
        }
        List<String> words = words(text);
        if (words.get(0).equals("export")) {
            String[] kv = words.get(1).split("=", 2);
            env.put(kv[0], kv[1]);
            return;
        }
        if (words.get(0).equals("echo")) {
            assertThat(words.get(2)).isEqualTo(">");
            Path file = Path.of(words.get(3));
            Files.createDirectories(file.getParent());
            Files.writeString(file, words.get(1) + "\n");
            return;
        }
        if (words.size() == 1 && words.get(0).matches("[A-Z_]+=.*")) {
            String[] kv = words.get(0).split("=", 2);
            shellVars.put(kv[0], switch (kv[0]) {
                case "SERVER" -> {
                    assertThat(kv[1]).as("the dev banner's default public URL").isEqualTo("https://127.0.0.1:8443");
                    yield "https://127.0.0.1:" + WARDLINE.server().publicPort();
                }
                case "FP" -> WARDLINE.server().certificateAuthority().rootFingerprint();
                default -> kv[1];
            });
            return;
        }
        cli(words, line);
    }

    private List<String> words(String text) {
        return ReadmeCommands.words(text, ReadmeCommands.lookup(shellVars, env));
    }

    /** Runs {@code [NAME=value …] ./wardline ARGS} and returns its standard output; a failure fails the test. */
    private String cli(List<String> words, ReadmeCommands.Line line) throws Exception {
        Map<String, String> runEnv = new HashMap<>(env);
        int i = 0;
        while (words.get(i).matches("[A-Z_]+=.*")) {
            String[] kv = words.get(i++).split("=", 2);
            runEnv.put(kv[0], kv[1]);
        }
        assertThat(words.get(i)).as(line.text()).isEqualTo("./wardline");
        List<String> args = words.subList(i + 1, words.size());
        if (args.get(0).equals("chat")) {
            chat(args, runEnv, line.typed());
            return "";
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream before = System.in;
        System.setIn(new Answers(answersFor(args, runEnv, out)));
        try {
            int rc = WardlineCli.run(new PrintWriter(out, true), new PrintWriter(err, true), runEnv, args.toArray(String[]::new));
            assertThat(rc).as(line.text() + "\n" + out + err).isZero();
        } finally {
            System.setIn(before);
        }
        lastOut = out.toString();
        return lastOut;
    }

    /** What the person at the keyboard types for each command, in the order it asks. */
    private Deque<Supplier<String>> answersFor(List<String> args, Map<String, String> runEnv, StringWriter screen) {
        Deque<Supplier<String>> a = new ArrayDeque<>();
        String password = WardlineApi.PASSWORD;
        switch (args.get(0) + " " + (args.size() > 1 ? args.get(1) : "")) {
            case "admin bootstrap" -> {
                a.add(() -> bootstrapCodeFromTheBanner());
                a.add(() -> password);
                a.add(() -> authenticatorScans("admin", screen).nextCode());
                a.add(() -> authenticators.get("admin").nextCode());
            }
            case "admin users" -> {
                if (args.get(2).equals("invite") || args.get(2).equals("create")) {
                    a.add(() -> password);
                }
            }
            case "login -u" -> {
                String user = args.get(2);
                a.add(() -> password);
                a.add(() -> authenticators.containsKey(user) ? authenticators.get(user).nextCode()
                        : authenticatorScans(user, screen).nextCode());
            }
            default -> {
            }
        }
        return a;
    }

    private WardlineApi.Account authenticatorScans(String user, StringWriter screen) {
        Matcher m = TOTP_KEY.matcher(screen.toString());
        assertThat(m.find()).as("the command showed the authenticator's key:\n" + screen).isTrue();
        assertThat(screen.toString()).contains("otpauth://totp/", "█");
        WardlineApi.Account a = new WardlineApi.Account();
        a.username = user;
        a.totpSecret = WardlineApi.Base32.decode(m.group(1));
        authenticators.put(user, a);
        return a;
    }

    private static String bootstrapCodeFromTheBanner() {
        try {
            return new BootstrapCodes(WARDLINE.server().database().pool()).issueIfUnclaimed()
                    .toCompletionStage().toCompletableFuture().get().orElseThrow().reveal();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A chat with lines to type runs to its /quit; one without stays open until the message reaches it. */
    private void chat(List<String> args, Map<String, String> runEnv, List<String> typed) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), WardlineCli.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(runEnv);
        Chat chat = new Chat(pb.start());
        chat.waitFor("this device:");
        chat.waitFor("conversations");
        if (typed.isEmpty()) {
            openChats.add(chat);
            return;
        }
        for (String t : typed) {
            chat.type(ReadmeCommands.expand(t, ReadmeCommands.lookup(shellVars, env)));
        }
        assertThat(chat.process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as(chat.screen()).isTrue();
        assertThat(chat.screen()).contains("opened new conversation", "invited 1", "sent #");
        for (Chat open : List.copyOf(openChats)) {
            open.waitFor(MESSAGE);
            open.type("/quit");
            assertThat(open.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            openChats.remove(open);
        }
    }

    private void aPatientOpensTheLink(String shareOutput) throws Exception {
        Matcher m = Pattern.compile("https://127\\.0\\.0\\.1:" + WARDLINE.server().publicPort()
                + "/s/([0-9a-f-]{36})#([A-Za-z0-9_-]+)").matcher(shareOutput);
        assertThat(m.find()).as(shareOutput).isTrue();
        String id = m.group(1);
        String secret = m.group(2);
        // The patient's browser trusts the server's certificate; here the nurse's device trust store does.
        HttpClient browser = HttpClient.newBuilder().sslContext(DeviceIdentity.load(pwd.resolve("day1/joy/device.p12"),
                Secret.of(env.get("WARDLINE_DEVICE_PASSPHRASE"))).sslContext()).build();
        assertThat(send(browser, get("/s/" + id)).statusCode()).isEqualTo(200);
        HttpResponse<String> started = send(browser, post("/s/" + id + "/verify-start", new JsonObject().put("secret", secret)));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        Matcher code = Pattern.compile("one-time code for share link " + id + ": (\\d{6})").matcher(console.toString(StandardCharsets.UTF_8));
        assertThat(code.find()).as("dev mode prints the code on the server's console").isTrue();
        HttpResponse<String> verified = send(browser, post("/s/" + id + "/verify",
                new JsonObject().put("secret", secret).put("code", code.group(1))));
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        String cookie = verified.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> document = send(browser, HttpRequest.newBuilder(uri("/s/" + id + "/document")).header("Cookie", cookie).build());
        assertThat(document.statusCode()).as(document.body()).isEqualTo(200);
    }

    private static URI uri(String path) {
        return URI.create("https://127.0.0.1:" + WARDLINE.server().publicPort() + path);
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(uri(path)).build();
    }

    private static HttpRequest post(String path, JsonObject body) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest r) throws Exception {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static Path readme() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("README.md")) && Files.exists(here.resolve("server")) ? here.resolve("README.md")
                : here.getParent().resolve("README.md");
    }

    /** A {@code wardline chat} in its own JVM: what it printed, and a pipe to type into. */
    private static final class Chat {
        final Process process;
        private final StringBuffer screen = new StringBuffer();

        Chat(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (InputStream in = process.getInputStream()) {
                    byte[] buf = new byte[4096];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        String screen() {
            return screen.toString();
        }

        void type(String line) throws java.io.IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        void waitFor(String text) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!screen().contains(text)) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    Thread.sleep(200); // let the reader take the last output
                    assertThat(screen()).as("what the chat showed").contains(text);
                    return;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Standard input whose next line is decided only when the command reads it (after it printed what to answer). */
    private static final class Answers extends InputStream {
        private final Deque<Supplier<String>> lines;
        private byte[] current = new byte[0];
        private int pos;

        Answers(Deque<Supplier<String>> lines) {
            this.lines = lines;
        }

        private boolean load() {
            if (pos < current.length) {
                return true;
            }
            if (lines.isEmpty()) {
                return false;
            }
            current = (lines.poll().get() + "\n").getBytes(StandardCharsets.UTF_8);
            pos = 0;
            return true;
        }

        @Override
        public int read() {
            return load() ? current[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!load()) {
                return -1;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return current.length - pos;
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            synchronized (b) {
                b.write(c);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }
    }
}
