package org.wardline.clients.chat;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.wardline.clients.cli.IdentityOptions;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.WardlineClientException;
import org.wardline.protocol.Secret;
import org.wardline.protocol.mls.DeviceUri;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code wardline chat}: an interactive end-to-end encrypted chat for an enrolled device, line based, so it can
 * be driven in tmux ({@code tmux send-keys '/new' Enter}). Incoming messages are printed above the prompt. It
 * uses the identity {@code wardline enroll} saved; the keystore passphrase also unlocks the local vault (the
 * device's encrypted message history).
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"End-to-end encrypted chat from this enrolled device (MLS over the device listener).",
                "Type /help inside for the commands: /list, /open, /new, /invite, /file, /download, /safety, /quit."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:left the chat", "1:failed here (no identity, bad passphrase, server unreachable …)",
                "2:wrong usage"})
public final class ChatCommand implements Callable<Integer> {
    @Mixin
    IdentityOptions identity;

    @Option(names = "--state", paramLabel = "DIR", description = "Local encrypted state (default: chat/ in the identity folder).")
    Path state;

    @Option(names = "--downloads", paramLabel = "DIR", description = "Where /download saves files (default: the current folder).",
            defaultValue = ".")
    Path downloads;

    @Option(names = "--server", split = ",", paramLabel = "URL", description = "Device listener(s) to use instead of the "
            + "one saved at enrollment; repeat it (or separate with commas) to fail over between a cluster's nodes.")
    List<URI> servers;

    @Override
    public Integer call() throws Exception {
        Secret<String> passphrase = identity.passphrase(false);
        DeviceIdentity device = DeviceIdentity.load(identity.identity(), passphrase);
        // The WebSocket upgrade needs the session `wardline login` saved beside the keystore.
        device.accessToken();
        DeviceCredentials creds = new DeviceCredentials(device.sslContext(), DeviceUri.of(device.userId(), device.deviceId()),
                device.deviceUrl()).withBearer(device::accessToken);
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
            ChatSession session = new ChatSession(reader::printAbove, downloads);
            LocalVault vault = LocalVault.open((state != null ? state : identity.home().resolve("chat")).resolve(creds.device().device().toString()), passphrase.reveal().toCharArray())
                    .keepOutsideRecordsIn(identity.identity().toAbsolutePath().getParent()); // the rollback counter
            
            try (MessagingClient client = MessagingClient.start(creds, servers == null || servers.isEmpty()
                    ? List.of(device.deviceUrl()) : servers, vault, session, org.wardline.protocol.mls.MlsSuites.DEFAULT_ID, true)) {
                session.attach(client);
                client.wiped().thenRun(() -> {
                    deleteIdentityFiles(identity.identity());
                    reader.printAbove("this device was wiped by your organisation: its messages, keys and identity are "
                            + "destroyed here. Ask your administrator to enroll it again.");
                    terminal.raise(Terminal.Signal.INT);
                });
                reader.printAbove("this device: " + creds.device() + "   (connecting…; /help for commands)");
                try {
                    client.connected().get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new WardlineClientException("client.io", "cannot reach the device listener at "
                            + device.deviceUrl() + " (is the server running, is this device still enrolled and signed in?)", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof org.wardline.clients.messaging.MessagingException m
                            && org.wardline.clients.messaging.MessagingException.DEVICE_REVOKED.equals(m.code())) {
                        throw new WardlineClientException(m.code(), "this device was revoked (or its certificate is no "
                                + "longer accepted): the server refuses it; enrol it again with `wardline enroll`", e);
                    }
                    throw e;
                }
                session.handle("/list");
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

    /** The keystore and the files {@code wardline enroll} and {@code login} keep beside it. */
    private static void deleteIdentityFiles(Path keystore) {
        for (String suffix : List.of("", ".properties", ".session")) {
            try {
                java.nio.file.Files.deleteIfExists(keystore.resolveSibling(keystore.getFileName() + suffix));
            } catch (java.io.IOException e) {
                System.err.println("could not delete " + keystore.getFileName() + suffix + ": " + e.getMessage());
            }
        }
    }
}
