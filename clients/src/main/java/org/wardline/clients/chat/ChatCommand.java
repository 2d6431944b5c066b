package org.wardline.clients.chat;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code wardline chat}: an interactive end-to-end encrypted chat for an enrolled device, line based, so it can
 * be driven in tmux ({@code tmux send-keys '/new' Enter}). Incoming messages are printed above the prompt.
 * The passphrase of the device's PKCS#12 store comes from {@code WARDLINE_PASSPHRASE} or is asked for; it also
 * unlocks the local vault.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, description = "End-to-end encrypted chat from an enrolled device.")
public final class ChatCommand implements Callable<Integer> {
    @Option(names = "--keystore", required = true, description = "the device's PKCS#12 key store (from enrollment)")
    Path keyStore;

    @Option(names = "--root-ca", required = true, description = "Wardline's root CA certificate (PEM)")
    Path rootCa;

    @Option(names = "--server", required = true, split = ",", description = "device listener, e.g. "
            + "https://wardline.example:8443; repeat it (or separate with commas) to fail over between a cluster's nodes")
    List<URI> servers;

    @Option(names = "--state", description = "local encrypted state directory (default: ~/.wardline/chat)")
    Path state = Path.of(System.getProperty("user.home"), ".wardline", "chat");

    public static void main(String[] args) {
        System.exit(new CommandLine(new ChatCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
            String env = System.getenv("WARDLINE_PASSPHRASE");
            char[] passphrase = env != null ? env.toCharArray() : reader.readLine("passphrase: ", '*').toCharArray();
            X509Certificate root;
            try (InputStream in = Files.newInputStream(rootCa)) {
                root = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            // The upgrade needs the session `wardline login` saved beside the keystore.
            org.wardline.clients.sdk.DeviceIdentity identity = org.wardline.clients.sdk.DeviceIdentity.load(keyStore,
                    org.wardline.protocol.Secret.of(new String(passphrase)));
            DeviceCredentials creds = DeviceCredentials.fromPkcs12(keyStore, passphrase, root, servers.get(0))
                    .withBearer(identity::accessToken);
            ChatSession session = new ChatSession(line -> reader.printAbove(line));
            LocalVault vault = LocalVault.open(state.resolve(creds.device().device().toString()), passphrase);
            try (MessagingClient client = MessagingClient.start(creds, servers, vault, session,
                    org.wardline.protocol.mls.MlsSuites.DEFAULT_ID, true)) {
                session.attach(client);
                client.connected().get(60, TimeUnit.SECONDS);
                reader.printAbove("this device: " + creds.device() + "   (/help for commands)");
                while (true) {
                    String line;
                    try {
                        line = reader.readLine("> ");
                    } catch (UserInterruptException | EndOfFileException e) {
                        break;
                    }
                    if (!session.handle(line)) {
                        break;
                    }
                }
            }
        }
        return 0;
    }
}
