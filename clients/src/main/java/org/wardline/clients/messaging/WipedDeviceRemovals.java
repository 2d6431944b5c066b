package org.wardline.clients.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.ExternalSenderKey;
import org.wardline.protocol.mls.InvalidMlsMessageException;
import org.wardline.protocol.mls.RejectedProposalException;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.Tag;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Takes devices the server wiped out of this device's conversations (docs/adr/0006-remote-wipe.md): the server
 * asks a member to commit the removal, or proposes it itself as the groups' MLS external sender, signed with the
 * key this device pinned ({@link ExternalSenderPin}). Every member may commit; the first commit wins and the others
 * find the device gone. When only this device would remain, the conversation is closed here instead (bcmls 1.84
 * cannot commit a one-member tree, bc-java #2492). Every method runs on the client's actor thread.
 */
final class WipedDeviceRemovals {
    private static final Logger LOG = LoggerFactory.getLogger(WipedDeviceRemovals.class);
    static final String ALREADY_REMOVED = "conversation.already_removed";

    /** What removing needs of the client. */
    interface Client {
        /** This device's group of the conversation, null when it holds none. */
        ConversationGroup group(ConversationId id);

        /** Closes the conversation on this device only, and tells the listener. */
        void close(ConversationId id);

        /** Builds a commit and sends it, building it again after an epoch conflict; completes with the new epoch. */
        CompletableFuture<Long> commit(ConversationId id, CommitCoordinator.Builder builder);

        /** Asks the server for its external-sender key (one blocking HTTPS request); empty when it has none. */
        Optional<ExternalSenderKey> presentedServerKey();
    }

    private final DeviceUri self;
    private final LocalVault vault;
    private final Client client;
    private final MessageListener listener;
    /** The pinned server key, null until learnt or when the server has none. */
    private ExternalSenderKey serverKey;
    /** The server presented another key than the pinned one: no new conversation until the vault is reset. */
    private boolean serverKeyChanged;
    private boolean serverKeyChecked;

    WipedDeviceRemovals(DeviceUri self, LocalVault vault, Client client, MessageListener listener) {
        this.self = self;
        this.vault = vault;
        this.client = client;
        this.listener = listener;
    }

    /** Learns the server's external-sender key once per run (on a connection) and checks it against the pinned one. */
    void learnServerKey() {
        if (serverKeyChecked || vault.isDestroyed()) {
            return;
        }
        if (serverKey == null) {
            serverKey = ExternalSenderPin.pinned(vault).orElse(null);
        }
        try {
            client.presentedServerKey().ifPresent(presented -> serverKey = ExternalSenderPin.pin(vault, presented));
            serverKeyChecked = true;
        } catch (MessagingException e) {
            if (ExternalSenderPin.CHANGED.equals(e.code())) {
                serverKeyChanged = true;
                serverKeyChecked = true;
                LOG.atError().log("the server presented another MLS external-sender key than the pinned one");
            } else {
                LOG.atWarn().addKeyValue("error", e.code()).log("server external-sender key not learnt");
            }
        }
    }

    /**
     * The key a new conversation names as its external sender, null when there is none.
     *
     * @throws MessagingException {@link ExternalSenderPin#CHANGED} when the server presented another key than the pinned one
     */
    ExternalSenderKey keyForNewConversation() {
        if (serverKeyChanged) {
            throw new MessagingException(ExternalSenderPin.CHANGED, null);
        }
        return serverKey;
    }

    /** The server took these devices out of delivery and asks a member to commit their removal. */
    void requested(ConversationId id, List<String> devices) throws InvalidMlsMessageException {
        ConversationGroup group = client.group(id);
        if (group == null) {
            return;
        }
        List<DeviceUri> targets = devices.stream().map(DeviceUri::parse).flatMap(Optional::stream).toList();
        Map<Integer, DeviceUri> members = group.members();
        long still = targets.stream().filter(d -> !d.equals(self) && members.containsValue(d)).count();
        if (still == 0) {
            return;
        }
        if (members.size() - still <= 1) {
            client.close(id);
            return;
        }
        // Rebuilt on each attempt: when another member's commit won, nothing is left to remove and no commit is made.
        notCommittedIsLogged(client.commit(id, g -> {
            Map<Integer, DeviceUri> now = g.members();
            List<DeviceUri> left = targets.stream().filter(d -> !d.equals(self) && now.containsValue(d)).toList();
            if (left.isEmpty()) {
                throw new MessagingException(ALREADY_REMOVED, null);
            }
            return g.commitRemove(left);
        }), "removal of a wiped device not committed here");
    }

    /**
     * The server proposes removing a wiped device, in {@code proposal} (a delivery at the group's epoch). It is
     * checked against the pinned server key, the epoch and the removed leaf's credential; a refused one is reported
     * to the listener as {@code external_proposal.<reason>} and not committed. An accepted one is committed by
     * reference.
     */
    void proposed(ConversationId id, ConversationGroup group, Frame proposal) throws Exception {
        List<String> named = proposal.allText(Tag.REMOVED);
        DeviceUri wiped = named.size() == 1 ? DeviceUri.parse(named.get(0)).orElse(null) : null;
        if (wiped == null || wiped.equals(self)) {
            listener.onRejected(id, "external_proposal.malformed");
            return;
        }
        if (!group.members().containsValue(wiped)) {
            return;
        }
        if (serverKey == null) {
            listener.onRejected(id, "external_proposal.no_external_sender");
            return;
        }
        try {
            if (!group.receiveExternalRemoval(proposal.bytes(Tag.PAYLOAD), wiped, serverKey)) {
                return;
            }
        } catch (RejectedProposalException e) {
            LOG.atWarn().addKeyValue("reason", e.reason()).log("external proposal refused");
            listener.onRejected(id, "external_proposal." + e.reason().name().toLowerCase(Locale.ROOT));
            return;
        }
        if (group.members().size() - group.pendingExternalRemovals().size() <= 1) {
            client.close(id);
            return;
        }
        notCommittedIsLogged(client.commit(id, g -> {
            if (g.pendingExternalRemovals().isEmpty()) {
                throw new MessagingException(ALREADY_REMOVED, null);
            }
            return g.commitExternalRemovals();
        }), "external removal not committed here");
    }

    private static void notCommittedIsLogged(CompletableFuture<Long> commit, String message) {
        commit.whenComplete((epoch, e) -> {
            if (e != null) {
                LOG.atDebug().addKeyValue("errorType", MessagingClient.unwrap(e).getClass().getSimpleName()).log(message);
            }
        });
    }
}
