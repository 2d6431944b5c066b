package org.wardline.server.delivery;

import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessageListener;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.protocol.Secret;
import org.wardline.protocol.mls.DeviceUri;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A messaging client in a JVM of its own, for {@link CrashPointTest} to kill: {@code <device.p12> <passphrase>
 * <vault dir>}, with {@code -Dwardline.test.crashAt=<point>} to stop at a crash point. It prints what happens
 * ({@code CONNECTED}, {@code JOINED <hex>}, {@code MSG <text>}, {@code PENDING-SENT <id>}, {@code UNDECRYPTABLE},
 * {@code LOST}) and reads commands: {@code offline}, {@code online}, {@code send <hex> <text>}, {@code history}
 * (prints {@code HIST <sender> <text>} lines, then {@code END}).
 */
public final class CrashingClient {
    private CrashingClient() {
    }

    public static void main(String[] args) throws Exception {
        DeviceIdentity device = DeviceIdentity.load(Path.of(args[0]), Secret.of(args[1]));
        DeviceCredentials creds = new DeviceCredentials(device.sslContext(), DeviceUri.of(device.userId(), device.deviceId()),
                device.deviceUrl()).withBearer(device::accessToken);
        MessageListener printer = new MessageListener() {
            @Override
            public void onMessage(ReceivedMessage m) {
                say("MSG " + m.text());
            }

            @Override
            public void onJoined(ConversationId c) {
                say("JOINED " + c.hex());
            }

            @Override
            public void onPendingSent(ConversationId c, long messageId) {
                say("PENDING-SENT " + messageId);
            }

            @Override
            public void onUndecryptable(ConversationId c, String reason) {
                say("UNDECRYPTABLE " + reason);
            }

            @Override
            public void onStateLost(java.util.List<ConversationId> conversations, String reason) {
                say("LOST " + reason);
            }
        };
        MessagingClient client = MessagingClient.start(creds, LocalVault.open(Path.of(args[2]), "vault-pass".toCharArray()),
                printer);
        client.connected().get(60, TimeUnit.SECONDS);
        say("CONNECTED");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.split(" ", 3);
            switch (w[0]) {
                case "offline" -> client.goOffline();
                case "online" -> client.goOnline();
                case "send" -> client.send(new ConversationId(w[1]), w[2].getBytes(StandardCharsets.UTF_8));
                case "history" -> {
                    for (ReceivedMessage m : client.history().get(30, TimeUnit.SECONDS)) {
                        say("HIST " + (m.sender().equals(client.device()) ? "me" : "other") + " " + m.text());
                    }
                    say("END");
                }
                default -> say("? " + line);
            }
        }
        client.close();
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
