package org.wardline.protocol.mls;

import org.bouncycastle.mls.TreeKEM.LeafIndex;
import org.bouncycastle.mls.TreeKEM.LeafNode;
import org.bouncycastle.mls.codec.KeyPackage;
import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.codec.Proposal;
import org.bouncycastle.mls.crypto.Secret;
import org.bouncycastle.mls.protocol.Group;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One device's view of one MLS group (bcmls {@link Group}): create or join by Welcome, prepare commits that
 * add or remove devices, apply others' commits, protect and unprotect application messages. Not thread-safe.
 *
 * <p>Every message this device sends carries its device URI as MLS authenticated data; the server checks it
 * against the sender's certificate, and {@link #unprotect} returns it so the receiver can check it against the
 * sender the server names. Every leaf's credential must be a device URI; {@link #members()} lists them.
 *
 * <p>bcmls 1.84 throws {@code IndexOutOfBoundsException} for a commit that leaves a one-member tree
 * (bc-java #2492); {@link #commitRemove} refuses such a commit with {@link SingletonGroupException} so the
 * caller can close the conversation instead (see protocol/PROTOCOL.md, "Conversations of one").
 */
public final class ConversationGroup {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeviceMlsIdentity identity;
    private Group group;
    /** External Remove proposals accepted at the current epoch: leaf index → removed device. */
    private final Map<Integer, DeviceUri> externalRemovals = new LinkedHashMap<>();

    private ConversationGroup(DeviceMlsIdentity identity, Group group) {
        this.identity = identity;
        this.group = group;
    }

    /** A new group with this device as its only member, at epoch 0. */
    public static ConversationGroup create(DeviceMlsIdentity identity, byte[] groupId) {
        return create(identity, groupId, null);
    }

    /**
     * A new group whose context carries the {@code external_senders} extension naming {@code server} (when not
     * null), so that members accept Remove proposals the server signs ({@link #receiveExternalRemoval}).
     */
    public static ConversationGroup create(DeviceMlsIdentity identity, byte[] groupId, ExternalSenderKey server) {
        DeviceMlsIdentity.LeafWithKeys leaf = identity.newLeaf();
        List<org.bouncycastle.mls.codec.Extension> extensions = new ArrayList<>();
        if (server != null) {
            extensions.add(server.extension());
        }
        try {
            synchronized (Bcmls.LOCK) {
                return new ConversationGroup(identity, new Group(groupId, identity.suite(), leaf.keys(),
                        identity.signingPrivateKey(), leaf.node(), extensions));
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create an MLS group", e);
        }
    }

    /** Joins a group from a Welcome addressed to {@code bundle}'s key package; checks every member's credential. */
    public static ConversationGroup join(DeviceMlsIdentity identity, KeyPackageBundle bundle, byte[] welcome)
            throws InvalidMlsMessageException {
        MLSMessage message = MlsEnvelope.decodeFully(welcome);
        if (message.welcome == null) {
            throw new InvalidMlsMessageException("not a Welcome");
        }
        try {
            Group joined;
            synchronized (Bcmls.LOCK) {
                joined = new Group(identity.suite().getHPKE().serializePrivateKey(bundle.initKeys().getPrivate()),
                        bundle.leafKeys(), identity.signingPrivateKey(), bundle.keyPackage(), message.welcome, null,
                        new HashMap<Secret, byte[]>(), new HashMap<Group.EpochRef, byte[]>());
            }
            ConversationGroup g = new ConversationGroup(identity, joined);
            g.members();
            return g;
        } catch (InvalidMlsMessageException e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidMlsMessageException("Welcome could not be processed", e);
        }
    }

    /** True when {@code welcome} is addressed to {@code bundle}'s key package. */
    public static boolean welcomes(KeyPackageBundle bundle, byte[] welcome) {
        try {
            MLSMessage message = MlsEnvelope.decodeFully(welcome);
            synchronized (Bcmls.LOCK) {
                return message.welcome != null && message.welcome.find(bundle.keyPackage()) >= 0;
            }
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * The whole group state (tree, private keys, epoch secrets, ratchets, transcript, pending proposals, the external
     * removals accepted at this epoch) as bytes, to be kept encrypted; {@link #restore} rebuilds the group. Secret:
     * whoever holds these bytes reads the conversation from this epoch on. {@code keepEpochs} bounds the earlier
     * epochs' resumption secrets kept.
     */
    public byte[] saveState(int keepEpochs) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            byte[] state;
            synchronized (Bcmls.LOCK) {
                state = Bcmls184GroupState.encode(group, keepEpochs);
            }
            out.writeByte(1);
            out.writeInt(state.length);
            out.write(state);
            out.writeInt(externalRemovals.size());
            for (Map.Entry<Integer, DeviceUri> e : externalRemovals.entrySet()) {
                out.writeInt(e.getKey());
                out.writeUTF(e.getValue().toString());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Rebuilds a group saved by {@link #saveState}; {@code identity} must be the identity it was saved with.
     *
     * @throws InvalidMlsMessageException when the bytes are not a saved group of this device
     */
    public static ConversationGroup restore(DeviceMlsIdentity identity, byte[] saved) throws InvalidMlsMessageException {
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(saved))) {
            if (in.readByte() != 1) {
                throw new InvalidMlsMessageException("unknown saved group format");
            }
            int n = in.readInt();
            if (n < 0 || n > in.available()) {
                throw new InvalidMlsMessageException("saved group truncated");
            }
            Group group;
            synchronized (Bcmls.LOCK) {
                group = Bcmls184GroupState.decode(in.readNBytes(n));
            }
            ConversationGroup g = new ConversationGroup(identity, group);
            for (int i = in.readInt(); i > 0; i--) {
                int leaf = in.readInt();
                g.externalRemovals.put(leaf, DeviceUri.parse(in.readUTF())
                        .orElseThrow(() -> new InvalidMlsMessageException("saved removal is not a device URI")));
            }
            if (in.available() != 0) {
                throw new InvalidMlsMessageException("trailing bytes after the saved group");
            }
            LeafNode self = group.getTree().getLeafNode(group.getIndex());
            if (self == null || !java.util.Arrays.equals(self.getCredential().getIdentity(),
                    identity.device().toString().getBytes(StandardCharsets.UTF_8))) {
                throw new InvalidMlsMessageException("the saved group is another device's");
            }
            g.members();
            return g;
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new InvalidMlsMessageException("saved group could not be read", e);
        }
    }

    public byte[] groupId() {
        return group.getGroupID().clone();
    }

    public long epoch() {
        return group.getEpoch();
    }

    public DeviceMlsIdentity identity() {
        return identity;
    }

    /** Epoch authenticator: equal on every member at the same epoch (RFC 9420 §8.7). */
    public byte[] epochAuthenticator() {
        return group.getEpochAuthenticator();
    }

    /** The device URI of every member leaf, by leaf index; fails if any credential is not a device URI. */
    public Map<Integer, DeviceUri> members() throws InvalidMlsMessageException {
        return leaves(group);
    }

    static Map<Integer, DeviceUri> leaves(Group group) throws InvalidMlsMessageException {
        Map<Integer, DeviceUri> members = new LinkedHashMap<>();
        long leaves = group.getTree().getSize().leafCount();
        for (int i = 0; i < leaves; i++) {
            LeafIndex index = new LeafIndex(i);
            if (!group.getTree().hasLeaf(index)) {
                continue;
            }
            LeafNode leaf = group.getTree().getLeafNode(index);
            members.put(i, DeviceUri.parse(new String(leaf.getCredential().getIdentity(), StandardCharsets.UTF_8))
                    .orElseThrow(() -> new InvalidMlsMessageException("a member's credential is not a device URI")));
        }
        return members;
    }

    /**
     * The safety number of this device and {@code other}: 60 digits, the same on both devices, derived from both
     * members' credentials and signature keys as they are in this group's tree. Users compare it out of band.
     */
    public String safetyNumber(DeviceUri other) throws InvalidMlsMessageException {
        byte[] mine = fingerprint(leafOf(identity.device()));
        byte[] theirs = fingerprint(leafOf(other));
        boolean mineFirst = java.util.Arrays.compare(mine, theirs) <= 0;
        return (SafetyNumbers.digits(mineFirst ? mine : theirs) + SafetyNumbers.digits(mineFirst ? theirs : mine)).trim();
    }

    private LeafNode leafOf(DeviceUri device) throws InvalidMlsMessageException {
        for (Map.Entry<Integer, DeviceUri> m : members().entrySet()) {
            if (m.getValue().equals(device)) {
                return group.getTree().getLeafNode(new LeafIndex(m.getKey()));
            }
        }
        throw new InvalidMlsMessageException("not a member of this group");
    }

    private static byte[] fingerprint(LeafNode leaf) {
        return SafetyNumbers.fingerprint(leaf.getCredential().getIdentity(), leaf.getSignatureKey());
    }

    /** Prepares a commit adding the devices whose key packages these are; apply it with {@link #accept}. */
    public PendingCommit commitAdd(List<byte[]> keyPackages) throws InvalidMlsMessageException {
        List<Proposal> proposals = new ArrayList<>();
        List<DeviceUri> added = new ArrayList<>();
        for (byte[] encoded : keyPackages) {
            MLSMessage m = MlsEnvelope.decodeFully(encoded);
            if (m.keyPackage == null) {
                throw new InvalidMlsMessageException("not a key package");
            }
            KeyPackage kp = m.keyPackage;
            added.add(KeyPackageCheck.credentialIdentity(kp));
            try {
                boolean valid;
                synchronized (Bcmls.LOCK) {
                    valid = kp.verify();
                }
                if (!valid) {
                    throw new InvalidMlsMessageException("key package signature does not verify");
                }
                proposals.add(Proposal.add(kp));
            } catch (java.io.IOException e) {
                throw new InvalidMlsMessageException("key package could not be encoded", e);
            }
        }
        return commit(proposals, added, List.of());
    }

    /**
     * Prepares a commit that replaces {@code device}'s leaf with a fresh one from {@code keyPackage} (remove and
     * add in one commit): the way back in for a member device that lost its group state (bcmls 1.84 cannot
     * restore a group whose saved state is gone or corrupt). The device is the commit's only "added" device: it
     * gets the Welcome; membership on the server is unchanged.
     */
    public PendingCommit commitReadd(DeviceUri device, byte[] keyPackage) throws InvalidMlsMessageException {
        if (device.equals(identity.device())) {
            throw new IllegalArgumentException("a device cannot re-add itself");
        }
        MLSMessage m = MlsEnvelope.decodeFully(keyPackage);
        if (m.keyPackage == null) {
            throw new InvalidMlsMessageException("not a key package");
        }
        if (!KeyPackageCheck.credentialIdentity(m.keyPackage).equals(device)) {
            throw new InvalidMlsMessageException("the key package is not that device's");
        }
        Integer leaf = null;
        for (Map.Entry<Integer, DeviceUri> e : members().entrySet()) {
            if (e.getValue().equals(device)) {
                leaf = e.getKey();
            }
        }
        if (leaf == null) {
            throw new InvalidMlsMessageException("not a member of this group");
        }
        try {
            boolean valid;
            synchronized (Bcmls.LOCK) {
                valid = m.keyPackage.verify();
            }
            if (!valid) {
                throw new InvalidMlsMessageException("key package signature does not verify");
            }
            return commit(List.of(Proposal.remove(new LeafIndex(leaf)), Proposal.add(m.keyPackage)), List.of(device), List.of());
        } catch (java.io.IOException e) {
            throw new InvalidMlsMessageException("key package could not be encoded", e);
        }
    }

    /**
     * Prepares a commit removing these devices.
     *
     * @throws SingletonGroupException when only this device would remain (bc-java #2492)
     */
    public PendingCommit commitRemove(List<DeviceUri> devices) throws InvalidMlsMessageException, SingletonGroupException {
        Map<Integer, DeviceUri> members = members();
        List<Proposal> proposals = new ArrayList<>();
        List<DeviceUri> removed = new ArrayList<>();
        for (Map.Entry<Integer, DeviceUri> m : members.entrySet()) {
            if (devices.contains(m.getValue()) && !m.getValue().equals(identity.device())
                    && !externalRemovals.containsKey(m.getKey())) {
                proposals.add(Proposal.remove(new LeafIndex(m.getKey())));
                removed.add(m.getValue());
            }
        }
        if (members.size() - removed.size() - externalRemovals.size() <= 1) {
            throw new SingletonGroupException();
        }
        return commit(proposals, List.of(), removed);
    }

    private PendingCommit commit(List<Proposal> proposals, List<DeviceUri> added, List<DeviceUri> removedByValue) {
        // bcmls includes every cached proposal by reference in the next commit: report those removals too.
        List<DeviceUri> removed = new ArrayList<>(removedByValue);
        externalRemovals.values().stream().filter(d -> !removed.contains(d)).forEach(removed::add);
        byte[] secret = new byte[identity.suite().getKDF().getHashLength()];
        RANDOM.nextBytes(secret);
        try {
            synchronized (Bcmls.LOCK) {
                return commitLocked(proposals, added, removed, secret);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not build an MLS commit", e);
        }
    }

    private PendingCommit commitLocked(List<Proposal> proposals, List<DeviceUri> added, List<DeviceUri> removed,
                                       byte[] secret) throws Exception {
        Group.GroupWithMessage result = group.commit(new Secret(secret),
                new Group.CommitOptions(proposals, true, true, null), messageOptions(false),
                new Group.CommitParameters(Group.NORMAL_COMMIT_PARAMS));
        byte[] commit = MLSOutputStream.encode(result.message);
        byte[] welcome = null;
        if (!added.isEmpty()) {
            MLSMessage w = new MLSMessage(org.bouncycastle.mls.codec.WireFormat.mls_welcome);
            w.welcome = result.message.welcome;
            welcome = MLSOutputStream.encode(w);
        }
        return new PendingCommit(result.group, group.getEpoch(), commit, welcome, added, removed);
    }

    /** Moves to the epoch of a commit this device made, once the delivery service has accepted it. */
    public void accept(PendingCommit commit) {
        if (commit.fromEpoch() != group.getEpoch()) {
            throw new IllegalStateException("commit is for epoch " + commit.fromEpoch() + ", group is at " + group.getEpoch());
        }
        group = commit.group();
        externalRemovals.clear();
    }

    /**
     * Applies another member's commit (or proposal). Returns false when the commit removed this device: the
     * group is then unusable and the caller forgets it. bcmls 1.84 refuses to process a commit that removes the
     * processing member ("Invalid proposal list"), so a removed device learns of its removal from the delivery
     * service's {@code REMOVED} field rather than from this method.
     */
    public boolean apply(byte[] handshake) throws InvalidMlsMessageException {
        MlsEnvelope envelope = MlsEnvelope.inspect(handshake);
        if (!envelope.isFor(group.getGroupID()) || envelope.epoch() != group.getEpoch()) {
            throw new InvalidMlsMessageException("handshake for another group or epoch");
        }
        try {
            Group next;
            synchronized (Bcmls.LOCK) {
                next = group.handle(handshake, null);
            }
            if (next == null) {
                return envelope.contentType() != MlsEnvelope.ContentType.COMMIT;
            }
            group = next;
            externalRemovals.clear();
            members();
            return group.getTree().hasLeaf(group.getIndex()) && selfStillMember();
        } catch (InvalidMlsMessageException e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidMlsMessageException("handshake could not be processed", e);
        }
    }

    private boolean selfStillMember() throws InvalidMlsMessageException {
        return members().containsValue(identity.device());
    }

    /** Encrypts an application message for the current epoch. */
    public byte[] protect(byte[] plaintext) {
        try {
            synchronized (Bcmls.LOCK) {
                return MLSOutputStream.encode(group.protect(deviceAad(), plaintext, 0));
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not protect an MLS application message", e);
        }
    }

    /** Decrypts an application message; the result names the sender device its authenticated data claims. */
    public Decrypted unprotect(byte[] message) throws InvalidMlsMessageException {
        MlsEnvelope envelope = MlsEnvelope.inspect(message);
        if (envelope.contentType() != MlsEnvelope.ContentType.APPLICATION) {
            throw new InvalidMlsMessageException("not an application message");
        }
        try {
            byte[][] result;
            synchronized (Bcmls.LOCK) {
                result = group.unprotect((MLSMessage) MLSInputStream.decode(message, MLSMessage.class));
            }
            Optional<DeviceUri> sender = DeviceUri.parse(new String(result[0], StandardCharsets.UTF_8));
            if (sender.isEmpty() || !members().containsValue(sender.get())) {
                throw new InvalidMlsMessageException("sender is not a member");
            }
            return new Decrypted(sender.get(), result[1]);
        } catch (InvalidMlsMessageException e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidMlsMessageException("application message could not be decrypted", e);
        }
    }

    private byte[] deviceAad() {
        return identity.device().toString().getBytes(StandardCharsets.UTF_8);
    }

    private Group.MessageOptions messageOptions(boolean encrypt) {
        return new Group.MessageOptions(encrypt, deviceAad(), 0);
    }

    /** The server key in this group's {@code external_senders} extension (sender 0), if the group has one. */
    public Optional<ExternalSenderKey> externalSender() {
        return ExternalRemovals.externalSender(group);
    }

    /**
     * Verifies and caches an external Remove proposal the delivery service relays for a wiped device: it must be
     * a PublicMessage proposal for this group and epoch from external sender 0, whose key is {@code pinned} (the
     * server key this device pinned) and whose signature verifies (bcmls {@code Group.verifyExternal}); the leaf
     * it removes must hold {@code expected}'s credential. The next commit this device makes includes it by
     * reference ({@link #commitExternalRemovals}). Returns false for a second proposal removing the same leaf.
     */
    public boolean receiveExternalRemoval(byte[] message, DeviceUri expected, ExternalSenderKey pinned)
            throws RejectedProposalException {
        int leaf = ExternalRemovals.check(group, message, expected, pinned);
        if (externalRemovals.containsKey(leaf)) {
            return false;
        }
        ExternalRemovals.cache(group, message);
        externalRemovals.put(leaf, expected);
        return true;
    }

    /** The devices whose external Remove proposals this device holds for the current epoch. */
    public List<DeviceUri> pendingExternalRemovals() {
        return List.copyOf(externalRemovals.values());
    }

    /**
     * Prepares a commit of the cached external Remove proposals (by reference).
     *
     * @throws SingletonGroupException when only this device would remain (bc-java #2492)
     */
    public PendingCommit commitExternalRemovals() throws InvalidMlsMessageException, SingletonGroupException {
        if (externalRemovals.isEmpty()) {
            throw new IllegalStateException("no external removal is pending");
        }
        if (members().size() - externalRemovals.size() <= 1) {
            throw new SingletonGroupException();
        }
        return commit(List.of(), List.of(), List.of());
    }

    /** A decrypted application message and the member device that sent it. */
    public record Decrypted(DeviceUri sender, byte[] plaintext) {
        @Override
        public String toString() {
            return "Decrypted[from " + sender + ", " + plaintext.length + " bytes]";
        }
    }

    /** A commit prepared at {@code fromEpoch}, not yet applied; send it, then {@link #accept} or drop it. */
    public record PendingCommit(Group group, long fromEpoch, byte[] commit, byte[] welcome,
                                List<DeviceUri> added, List<DeviceUri> removed) {
        /**
         * The group's leaves after this commit, leaf index → device URI: sent beside the commit so the delivery
         * service can name a wiped device's leaf in an external Remove (it keeps no ratchet trees).
         */
        public Map<Integer, DeviceUri> roster() throws InvalidMlsMessageException {
            return ConversationGroup.leaves(group);
        }

        @Override
        public String toString() {
            return "PendingCommit[epoch " + fromEpoch + ", +" + added.size() + " -" + removed.size() + "]";
        }
    }
}
