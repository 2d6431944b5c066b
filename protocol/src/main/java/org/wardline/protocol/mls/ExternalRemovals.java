package org.wardline.protocol.mls;

import org.bouncycastle.mls.TreeKEM.LeafIndex;
import org.bouncycastle.mls.TreeKEM.LeafNode;
import org.bouncycastle.mls.codec.AuthenticatedContent;
import org.bouncycastle.mls.codec.ContentType;
import org.bouncycastle.mls.codec.Extension;
import org.bouncycastle.mls.codec.ExtensionType;
import org.bouncycastle.mls.codec.ExternalSender;
import org.bouncycastle.mls.codec.FramedContent;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.codec.ProposalType;
import org.bouncycastle.mls.codec.SenderType;
import org.bouncycastle.mls.codec.WireFormat;
import org.bouncycastle.mls.protocol.Group;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.wardline.protocol.mls.RejectedProposalException.Reason.FORGED;
import static org.wardline.protocol.mls.RejectedProposalException.Reason.MALFORMED;
import static org.wardline.protocol.mls.RejectedProposalException.Reason.NO_EXTERNAL_SENDER;
import static org.wardline.protocol.mls.RejectedProposalException.Reason.STALE_EPOCH;
import static org.wardline.protocol.mls.RejectedProposalException.Reason.WRONG_LEAF;

/** The checks a member applies to an external Remove proposal before caching it in its bcmls group. */
final class ExternalRemovals {
    private ExternalRemovals() {
    }

    static Optional<ExternalSenderKey> externalSender(Group group) {
        try {
            synchronized (Bcmls.LOCK) {
                for (Extension e : group.getExtensions()) {
                    if (e.extensionType == ExtensionType.EXTERNAL_SENDERS) {
                        List<ExternalSender> senders = e.getSenders();
                        if (senders.isEmpty()) {
                            return Optional.empty();
                        }
                        return Optional.of(ExternalSenderKey.decode(MLSOutputStream.encode(senders.get(0))));
                    }
                }
            }
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Checks everything but bcmls' own processing; returns the leaf index the proposal removes. */
    static int check(Group group, byte[] message, DeviceUri expected, ExternalSenderKey pinned)
            throws RejectedProposalException {
        MLSMessage m;
        try {
            m = MlsEnvelope.decodeFully(message);
        } catch (InvalidMlsMessageException e) {
            throw new RejectedProposalException(MALFORMED, "not an MLS message", e);
        }
        if (m.wireFormat != WireFormat.mls_public_message) {
            throw new RejectedProposalException(MALFORMED, "an external proposal must be a PublicMessage");
        }
        AuthenticatedContent auth;
        try {
            synchronized (Bcmls.LOCK) {
                // For a non-member sender there is no membership tag to check, so no key is needed here.
                auth = m.publicMessage.unprotect(group.getSuite(), null, null);
            }
        } catch (Exception e) {
            throw new RejectedProposalException(MALFORMED, "the proposal could not be decoded", e);
        }
        FramedContent content = auth.getContent();
        if (!Arrays.equals(content.getGroupID(), group.getGroupID())) {
            throw new RejectedProposalException(MALFORMED, "the proposal is for another group");
        }
        if (content.getSender().getSenderType() != SenderType.EXTERNAL || content.getSender().getSenderIndex() != 0) {
            throw new RejectedProposalException(MALFORMED, "the proposal is not from external sender 0");
        }
        if (content.getContentType() != ContentType.PROPOSAL
                || content.getProposal().getProposalType() != ProposalType.REMOVE) {
            throw new RejectedProposalException(MALFORMED, "not a Remove proposal");
        }
        if (content.getEpoch() != group.getEpoch()) {
            throw new RejectedProposalException(content.getEpoch() < group.getEpoch() ? STALE_EPOCH : MALFORMED,
                    "the proposal is for epoch " + content.getEpoch() + ", the group is at epoch " + group.getEpoch());
        }
        ExternalSenderKey inGroup = externalSender(group).orElseThrow(() -> new RejectedProposalException(
                NO_EXTERNAL_SENDER, "the group has no external_senders extension"));
        if (!inGroup.equals(pinned)) {
            throw new RejectedProposalException(NO_EXTERNAL_SENDER,
                    "the group's external sender is not the server key this device pinned");
        }
        boolean verified;
        try {
            synchronized (Bcmls.LOCK) {
                verified = auth.verify(group.getSuite(), inGroup.signatureKey(), new byte[0]);
            }
        } catch (Exception e) {
            verified = false;
        }
        if (!verified) {
            throw new RejectedProposalException(FORGED, "the proposal's signature does not verify against the server's external-sender key");
        }
        LeafIndex leaf = content.getProposal().getRemove().removed;
        LeafNode node;
        synchronized (Bcmls.LOCK) {
            boolean inTree = leaf.value() >= 0 && leaf.value() < group.getTree().getSize().leafCount();
            node = inTree && group.getTree().hasLeaf(leaf) ? group.getTree().getLeafNode(leaf) : null;
        }
        if (node == null) {
            throw new RejectedProposalException(WRONG_LEAF, "the proposal removes an empty leaf");
        }
        String identity = new String(node.getCredential().getIdentity(), StandardCharsets.UTF_8);
        if (!identity.equals(expected.toString())) {
            throw new RejectedProposalException(WRONG_LEAF, "the proposal removes leaf " + leaf.value()
                    + ", which is not the wiped device's");
        }
        return leaf.value();
    }

    /** Hands the checked proposal to bcmls, which verifies it again (Group.verifyExternal) and caches it. */
    static void cache(Group group, byte[] message) throws RejectedProposalException {
        try {
            synchronized (Bcmls.LOCK) {
                if (group.handle(message, null) != null) {
                    throw new IllegalStateException("a proposal moved the group to another epoch");
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RejectedProposalException(FORGED, "bcmls refused the external proposal", e);
        }
    }
}
