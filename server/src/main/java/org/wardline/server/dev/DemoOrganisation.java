package org.wardline.server.dev;

import com.google.common.io.BaseEncoding;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessageListener;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.sdk.Admin;
import org.wardline.clients.sdk.AuthenticatorSetup;
import org.wardline.clients.sdk.Bootstrap;
import org.wardline.clients.sdk.CaPin;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.Enrollment;
import org.wardline.clients.sdk.Files;
import org.wardline.clients.sdk.ShareLinks;
import org.wardline.clients.sdk.SignIn;
import org.wardline.protocol.Secret;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.server.WardlineServer;
import org.wardline.server.auth.Totp;
import org.wardline.server.bootstrap.BootstrapCodes;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./wardline dev --demo}: a demo organisation seeded through the server's own public and device APIs, as a
 * first day would be (bootstrap, invitations, enrollment, sign-in with an authenticator): an admin, a security
 * officer and three clinicians in one care team, each with an enrolled, signed-in device under
 * {@code <data dir>/demo/<user>}, a conversation between two clinicians and a file shared with a (fictitious)
 * patient. Every account is named {@code demo.*}; their passwords and authenticator keys are random and written,
 * owner-only, to {@code demo/DEMO-ACCOUNTS.txt}, which marks the data directory as demo data. A data directory
 * whose installation was claimed by a real administrator is refused.
 */
public final class DemoOrganisation {
    /** The marker and the sign-in sheet. */
    public static final String SHEET = "DEMO-ACCOUNTS.txt";
    static final String PASSPHRASE = "demo device passphrase";
    static final String TEAM = "Demo Ward (demo data)";
    static final String MESSAGE = "[demo] Potassium for bed 4 is back at 5.9, please review before the round";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One demo person: their username, role, password, authenticator key and device folder. */
    record Person(String username, String role, Secret<String> password, String totpKey, Path home) {
    }

    private final WardlineServer server;
    private final Path demoDir;
    private final URI publicUrl;
    private final CaPin pin;
    private final List<Person> people = new ArrayList<>();
    private final java.util.Map<java.util.UUID, Path> homes = new java.util.HashMap<>();
    private final java.util.Map<String, Long> lastSteps = new java.util.HashMap<>();

    private DemoOrganisation(WardlineServer server, Path dataDir) {
        this.server = server;
        this.demoDir = dataDir.toAbsolutePath().resolve("demo");
        this.publicUrl = URI.create("https://127.0.0.1:" + server.publicPort());
        this.pin = CaPin.fingerprint(server.certificateAuthority().rootFingerprint());
    }

    /**
     * Seeds the demo organisation on a fresh installation, or shows the sheet again for one seeded before.
     *
     * @throws IllegalStateException when a real administrator already claimed this installation
     */
    public static void seedOrShow(WardlineServer server, Path dataDir, PrintStream out) {
        DemoOrganisation demo = new DemoOrganisation(server, dataDir);
        Path sheet = demo.demoDir.resolve(SHEET);
        if (java.nio.file.Files.exists(sheet)) {
            out.println(read(sheet));
            return;
        }
        java.util.Optional<Secret<String>> code = await(new BootstrapCodes(server.database().pool()).issueIfUnclaimed());
        if (code.isEmpty()) {
            throw new IllegalStateException("--demo refuses this data directory: a real administrator already claimed it "
                    + "(start with another --data-dir for the demo)");
        }
        String text = demo.seed(code.get());
        out.println(text);
    }

    private String seed(Secret<String> bootstrapCode) {
        Person admin = person("demo.admin", "admin");
        Secret<String> enrollment = Bootstrap.claim(publicUrl, pin, bootstrapCode, admin.username(), admin.password(),
                authenticator(admin));
        DeviceIdentity adminDevice = enrollAndSignIn(admin, enrollment);
        Admin directory = new Admin(adminDevice);
        String team = directory.createTeam(TEAM).path("id").asText();
        String until = LocalDate.now().plusYears(1).toString();
        List<DeviceIdentity> devices = new ArrayList<>();
        for (String[] p : new String[][]{{"demo.officer", "security_officer"}, {"dr.demo.grey", "clinician"},
                {"nurse.demo.joy", "nurse"}, {"dr.demo.shah", "clinician"}}) {
            Person person = person(p[0], p[1]);
            var created = directory.createUser(person.username(), null, null, person.password(), List.of(person.role()), until);
            java.util.UUID id = java.util.UUID.fromString(created.path("id").asText());
            if (!person.role().equals("security_officer")) {
                directory.addTeamMember(java.util.UUID.fromString(team), id);
            }
            devices.add(enrollAndSignIn(person, Secret.of(directory.enrollmentCode(id).path("code").asText())));
        }
        converse(devices.get(2), devices.get(1));
        Path report = demoDir.resolve("demo-lab-report.txt");
        write(report, "DEMO DATA - not a real patient.\nPotassium 5.9 mmol/L (high). Repeat test tomorrow morning.\n");
        var stored = Files.upload(devices.get(2), report);
        ShareLinks.Created link = ShareLinks.create(devices.get(2), ShareLinks.Request.of(stored.id(),
                ShareLinks.Recipient.email("demo.patient@example.org")).withExpiresInHours(72).withMode(ShareLinks.Mode.VIEW));
        String sheet = sheet(link);
        write(demoDir.resolve(SHEET), sheet);
        return sheet;
    }

    private Person person(String username, String role) {
        byte[] pw = new byte[12];
        RANDOM.nextBytes(pw);
        Person p = new Person(username, role, Secret.of("demo-" + BaseEncoding.base32().omitPadding().encode(pw).toLowerCase()),
                null, demoDir.resolve(username));
        people.add(p);
        return p;
    }

    private AuthenticatorSetup authenticator(Person p) {
        return new AuthenticatorSetup() {
            @Override
            public Secret<String> confirm(Secret<String> otpauthUri, Secret<String> secret) {
                people.set(people.indexOf(p), new Person(p.username(), p.role(), p.password(), secret.reveal(), p.home()));
                return Secret.of(code(secret.reveal()));
            }

            @Override
            public void recoveryCodes(List<Secret<String>> codes) {
                // A demo account recovers by being seeded again on a new data directory.
            }
        };
    }

    /**
     * A code for a step this key has not used yet (the server refuses a step used twice and accepts one step either
     * side of now); when both are used, waits for the next step. Runs on the main thread, before the banner.
     */
    private synchronized String code(String base32Key) {
        long last = lastSteps.getOrDefault(base32Key, Long.MIN_VALUE);
        while (true) {
            long now = Totp.step(Instant.now());
            long step = Math.max(now, last + 1);
            if (step <= now + 1) {
                lastSteps.put(base32Key, step);
                return Totp.code(BaseEncoding.base32().decode(base32Key.replace("=", "")), step);
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next authenticator step", e);
            }
        }
    }

    private DeviceIdentity enrollAndSignIn(Person p, Secret<String> code) {
        DeviceIdentity device = Enrollment.enroll(publicUrl, pin, code, "demo device of " + p.username(), "demo");
        device.save(p.home().resolve("device.p12"), Secret.of(PASSPHRASE));
        DeviceIdentity saved = DeviceIdentity.load(p.home().resolve("device.p12"), Secret.of(PASSPHRASE));
        homes.put(saved.deviceId(), p.home());
        Person current = people.stream().filter(x -> x.username().equals(p.username())).findFirst().orElseThrow();
        SignIn.password(saved, p.username(), p.password(),
                () -> SignIn.SecondFactor.totp(Secret.of(code(people.stream().filter(x -> x.username().equals(p.username()))
                        .findFirst().orElseThrow().totpKey()))), authenticator(current));
        return saved;
    }

    /** nurse.demo.joy starts a conversation with dr.demo.grey and sends one message. */
    private void converse(DeviceIdentity from, DeviceIdentity to) {
        MessagingClient receiver = client(to, new MessageListener() {
        });
        MessagingClient sender = client(from, new MessageListener() {
        });
        try {
            receiver.connected().get(60, TimeUnit.SECONDS);
            sender.connected().get(60, TimeUnit.SECONDS);
            ConversationId c = sender.createConversation().get(60, TimeUnit.SECONDS);
            sender.invite(c, List.of(DeviceUri.of(to.userId(), to.deviceId()).userUri())).get(60, TimeUnit.SECONDS);
            sender.send(c, MESSAGE.getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the demo conversation could not be set up: " + e.getMessage(), e);
        } finally {
            sender.close();
            receiver.close();
        }
    }

    private MessagingClient client(DeviceIdentity d, MessageListener listener) {
        DeviceCredentials creds = new DeviceCredentials(d.sslContext(), DeviceUri.of(d.userId(), d.deviceId()), d.deviceUrl())
                .withBearer(d::accessToken);
        Path home = homes.get(d.deviceId());
        return MessagingClient.start(creds, LocalVault.open(home.resolve("chat").resolve(d.deviceId().toString()),
                PASSPHRASE.toCharArray()), listener);
    }

    private String sheet(ShareLinks.Created link) {
        StringBuilder sb = new StringBuilder();
        sb.append("==== DEMO DATA — a made-up organisation for trying Wardline; never real patients ====\n");
        sb.append("Each demo person has an enrolled, signed-in device under ").append(demoDir).append('\n');
        sb.append("Device keystore passphrase (all demo devices): ").append(PASSPHRASE).append('\n');
        sb.append("Sessions end after 15 idle minutes: sign in again with the password and a code from the key below\n");
        sb.append("(add it to an authenticator app: it is Base32).\n\n");
        for (Person p : people) {
            sb.append(String.format("  %-16s %-17s password %s  authenticator key %s%n", p.username(), p.role(),
                    p.password().reveal(), p.totpKey()));
            sb.append("      WARDLINE_HOME=").append(p.home()).append(" ./wardline ")
                    .append(switch (p.role()) {
                        case "admin" -> "admin users list";
                        case "security_officer" -> "admin devices list";
                        default -> "chat";
                    }).append('\n');
        }
        sb.append("\nCare team: ").append(TEAM).append("; nurse.demo.joy sent dr.demo.grey a message; it was delivered\n");
        sb.append("while both demo devices were online (a restarted chat keeps its conversations and reads what it missed).\n");
        sb.append("Shared with the demo patient, view only, 72 h: ").append(link.url()).append('\n');
        sb.append("  (its one-time code is printed on this console when the link is opened)\n");
        sb.append("This sheet: ").append(demoDir.resolve(SHEET)).append(" (owner-only)\n");
        sb.append("==== END OF DEMO DATA ====\n");
        return sb.toString();
    }

    private static void write(Path file, String text) {
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(file, text);
            java.nio.file.Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the database did not answer: " + e.getMessage(), e);
        }
    }
}
