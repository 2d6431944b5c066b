package org.wardline.server.delivery;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.MessagingException;
import org.wardline.server.device.DeviceModule;
import org.wardline.server.pki.RevocationReason;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wardline.server.delivery.RecordingListener.next;

/**
 * A device the server refuses for good (revoked while connected) stops reconnecting and says why, instead of
 * retrying forever as if the network were gone; a lost network is still retried until it is back.
 */
class DeviceRefusedTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @TempDir
    Path vaults;

    private final List<MessagingClient> clients = new ArrayList<>();

    static final class Events extends RecordingListener {
        final BlockingQueue<Boolean> connection = new LinkedBlockingQueue<>();
        final BlockingQueue<Boolean> revoked = new LinkedBlockingQueue<>();

        @Override
        public void onConnection(boolean connected) {
            connection.add(connected);
        }

        @Override
        public void onDeviceRevoked() {
            revoked.add(true);
        }
    }

    private record Device(MessagingClient client, Events events) {
    }

    private Device device() throws Exception {
        Events events = new Events();
        MessagingClient c = MessagingClient.start(TestDevices.teamMate(WARDLINE.server()),
                LocalVault.open(vaults.resolve(UUID.randomUUID().toString()), "vault-pass".toCharArray()), events);
        clients.add(c);
        c.connected().get(60, TimeUnit.SECONDS);
        assertThat(next(events.connection)).isTrue();
        return new Device(c, events);
    }

    @AfterEach
    void close() {
        clients.forEach(MessagingClient::close);
    }

    @Test
    void aDeviceRevokedWhileConnectedStopsReconnectingAndSaysWhy() throws Exception {
        Device alice = device();
        Device bob = device();
        ConversationId id = alice.client().createConversation().get(60, TimeUnit.SECONDS);
        alice.client().invite(id, List.of(bob.client().device().userUri())).get(60, TimeUnit.SECONDS);
        assertThat(next(bob.events().joined)).isEqualTo(id);

        assertThat(WARDLINE.server().module(DeviceModule.class).revocation()
                .revoke(bob.client().device().device(), RevocationReason.LOST)
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS)).isTrue();
        assertThat(next(bob.events().connection)).isFalse();
        assertThat(next(bob.events().revoked)).isTrue();

        assertThatThrownBy(() -> bob.client().connected().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(MessagingException.class).hasMessage(MessagingException.DEVICE_REVOKED);
        CompletableFuture<Long> typed = bob.client().send(id, utf8("typed after the revocation"));
        assertThatThrownBy(() -> typed.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(MessagingException.class).hasMessage(MessagingException.DEVICE_REVOKED);
        long attempts = bob.client().connectionAttempts();
        Thread.sleep(3_000); // a lost network would have been retried several times by now (back-off from 200 ms)
        assertThat(bob.client().connectionAttempts()).as("no more connecting").isEqualTo(attempts);
        assertThat(bob.events().revoked).as("told once").isEmpty();
    }

    @Test
    void aLostNetworkIsStillRetriedUntilItIsBack() throws Exception {
        Device alice = device();
        Device bob = device();
        ConversationId id = alice.client().createConversation().get(60, TimeUnit.SECONDS);
        alice.client().invite(id, List.of(bob.client().device().userUri())).get(60, TimeUnit.SECONDS);
        assertThat(next(bob.events().joined)).isEqualTo(id);
        long attempts = bob.client().connectionAttempts();

        bob.client().dropConnection();
        assertThat(next(bob.events().connection)).isFalse();
        assertThat(next(bob.events().connection)).as("reconnected").isTrue();
        assertThat(bob.client().connectionAttempts()).isGreaterThan(attempts);
        bob.client().send(id, utf8("after the network came back")).get(60, TimeUnit.SECONDS);
        assertThat(next(alice.events().messages).text()).isEqualTo("after the network came back");
        assertThat(bob.events().revoked).isEmpty();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
