package org.wardline.protocol.mls;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.mls.GroupKeySet;
import org.bouncycastle.mls.KeyGeneration;
import org.bouncycastle.mls.KeyScheduleEpoch;
import org.bouncycastle.mls.TranscriptHash;
import org.bouncycastle.mls.TreeKEM.LeafIndex;
import org.bouncycastle.mls.TreeKEM.NodeIndex;
import org.bouncycastle.mls.TreeKEM.TreeKEMPrivateKey;
import org.bouncycastle.mls.TreeKEM.TreeKEMPublicKey;
import org.bouncycastle.mls.TreeSize;
import org.bouncycastle.mls.codec.Extension;
import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.codec.Proposal;
import org.bouncycastle.mls.crypto.MlsCipherSuite;
import org.bouncycastle.mls.crypto.Secret;
import org.bouncycastle.mls.protocol.CachedProposal;
import org.bouncycastle.mls.protocol.Group;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole state of a bcmls 1.84 {@link Group}, as bytes and back. bcmls has no serialization, and most of a
 * group's state sits in private or package-private fields; this is the one class that reaches them, by
 * reflection, and it refuses to run against any field layout but 1.84's ({@link #LAYOUT}, checked by
 * {@code Bcmls184GroupStateTest}). What it keeps (RFC 9420 §8, §9): the ratchet tree (its own TLS encoding), this
 * member's private path secrets and node keys, every epoch secret, the secret tree with each sender's hash ratchets
 * (next secret, next generation, keys skipped for out-of-order messages), the transcript hashes, cached proposals,
 * external and resumption PSKs (the latter bounded to the last {@code keepEpochs}).
 *
 * <p>Forward secrecy: consumed secrets are written as consumed (no value), the keys of generations this member
 * sent under are not written (it never decrypts its own messages), and a leaf secret whose ratchets exist is not
 * written (bcmls never reads it again), so a restored state cannot decrypt what the live one could no longer.
 */
final class Bcmls184GroupState {
    private static final int FORMAT = 1;

    /** Field names and types of the classes reached here, as in bcmls 1.84. */
    static final String LAYOUT = "aa6ecfb8";

    private static final Field EXTERNAL_PSKS = field(Group.class, "externalPSKs");
    private static final Field RESUMPTION_PSKS = field(Group.class, "resumptionPSKs");
    private static final Field EPOCH = field(Group.class, "epoch");
    private static final Field GROUP_ID = field(Group.class, "groupID");
    private static final Field TRANSCRIPT = field(Group.class, "transcriptHash");
    private static final Field EXTENSIONS = field(Group.class, "extensions");
    private static final Field KEY_SCHEDULE = field(Group.class, "keySchedule");
    private static final Field TREE = field(Group.class, "tree");
    private static final Field TREE_PRIV = field(Group.class, "treePriv");
    private static final Field KEYS = field(Group.class, "keys");
    private static final Field SUITE = field(Group.class, "suite");
    private static final Field INDEX = field(Group.class, "index");
    private static final Field IDENTITY_SK = field(Group.class, "identitySk");
    private static final Field PENDING = field(Group.class, "pendingProposals");
    private static final Field CACHED_UPDATE = field(Group.class, "cachedUpdate");
    private static final Field EPOCH_REF_ID = field(Group.EpochRef.class, "id");
    private static final Field EPOCH_REF_EPOCH = field(Group.EpochRef.class, "epoch");
    private static final Field PROPOSAL_REF = field(CachedProposal.class, "proposalRef");
    private static final Field PROPOSAL = field(CachedProposal.class, "proposal");
    private static final Field PROPOSAL_SENDER = field(CachedProposal.class, "sender");
    private static final Field PATH_SECRETS = field(TreeKEMPrivateKey.class, "pathSecrets");
    private static final Field PRIVATE_KEYS = field(TreeKEMPrivateKey.class, "privateKeyCache");
    private static final Field COMMITMENT = field(GroupKeySet.class, "encryptionSecretCommit");
    private static final Field HANDSHAKE = field(GroupKeySet.class, "handshakeRatchets");
    private static final Field APPLICATION = field(GroupKeySet.class, "applicationRatchets");
    private static final Field TREE_SIZE = field(GroupKeySet.SecretTree.class, "treeSize");
    private static final Field NEXT_SECRET = field(GroupKeySet.HashRatchet.class, "nextSecret");
    private static final Field NEXT_GENERATION = field(GroupKeySet.HashRatchet.class, "nextGeneration");
    private static final Field CACHE = field(GroupKeySet.HashRatchet.class, "cache");
    private static final Constructor<GroupKeySet.HashRatchet> RATCHET;

    static {
        String layout = layout();
        if (!LAYOUT.equals(layout)) {
            throw new IllegalStateException("bcmls is not 1.84 (field layout " + layout + "): MLS group state cannot be "
                    + "saved or restored; review Bcmls184GroupState against the new version");
        }
        try {
            RATCHET = GroupKeySet.HashRatchet.class.getDeclaredConstructor(GroupKeySet.class, Secret.class);
            RATCHET.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("bcmls is not 1.84: no HashRatchet(GroupKeySet, Secret)", e);
        }
    }

    private Bcmls184GroupState() {
    }

    /** A short digest of the declared instance fields (name and type) of every class this codec reaches. */
    static String layout() {
        StringBuilder s = new StringBuilder();
        for (Class<?> c : List.of(Group.class, Group.EpochRef.class, CachedProposal.class, TreeKEMPrivateKey.class,
                GroupKeySet.class, GroupKeySet.SecretTree.class, GroupKeySet.HashRatchet.class, KeyScheduleEpoch.class,
                TranscriptHash.class, KeyGeneration.class, Secret.class)) {
            s.append(c.getName()).append('{');
            new TreeMap<String, String>() {{
                for (Field f : c.getDeclaredFields()) {
                    if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                        put(f.getName(), f.getGenericType().getTypeName());
                    }
                }
            }}.forEach((name, type) -> s.append(name).append(':').append(type).append(';'));
            s.append('}');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The group's state; {@code keepEpochs} bounds the resumption PSKs of earlier epochs that are kept. */
    @SuppressWarnings("unchecked")
    static byte[] encode(Group group, int keepEpochs) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            MlsCipherSuite suite = (MlsCipherSuite) SUITE.get(group);
            out.writeShort(suite.getSuiteID());
            long epoch = EPOCH.getLong(group);
            out.writeLong(epoch);
            bytes(out, (byte[]) GROUP_ID.get(group));
            LeafIndex index = (LeafIndex) INDEX.get(group);
            out.writeInt(index.value());
            bytes(out, (byte[]) IDENTITY_SK.get(group));
            if (CACHED_UPDATE.get(group) != null) {
                throw new IllegalStateException("a group with a cached self-update is not saved (Wardline makes none)");
            }

            Map<Secret, byte[]> external = (Map<Secret, byte[]>) EXTERNAL_PSKS.get(group);
            out.writeInt(external.size());
            for (Map.Entry<Secret, byte[]> e : external.entrySet()) {
                secret(out, e.getKey());
                bytes(out, e.getValue());
            }
            List<Map.Entry<Group.EpochRef, byte[]>> resumption = new ArrayList<>();
            for (Map.Entry<Group.EpochRef, byte[]> e : ((Map<Group.EpochRef, byte[]>) RESUMPTION_PSKS.get(group)).entrySet()) {
                if (EPOCH_REF_EPOCH.getLong(e.getKey()) + keepEpochs >= epoch) {
                    resumption.add(e);
                }
            }
            out.writeInt(resumption.size());
            for (Map.Entry<Group.EpochRef, byte[]> e : resumption) {
                bytes(out, (byte[]) EPOCH_REF_ID.get(e.getKey()));
                out.writeLong(EPOCH_REF_EPOCH.getLong(e.getKey()));
                bytes(out, e.getValue());
            }

            TranscriptHash transcript = (TranscriptHash) TRANSCRIPT.get(group);
            bytes(out, transcript.getConfirmed());
            bytes(out, transcript.getInterim());
            List<Extension> extensions = (List<Extension>) EXTENSIONS.get(group);
            out.writeInt(extensions.size());
            for (Extension e : extensions) {
                bytes(out, MLSOutputStream.encode(e));
            }
            bytes(out, MLSOutputStream.encode((TreeKEMPublicKey) TREE.get(group)));

            TreeKEMPrivateKey priv = (TreeKEMPrivateKey) TREE_PRIV.get(group);
            Map<NodeIndex, Secret> pathSecrets = (Map<NodeIndex, Secret>) PATH_SECRETS.get(priv);
            out.writeInt(pathSecrets.size());
            for (Map.Entry<NodeIndex, Secret> e : pathSecrets.entrySet()) {
                out.writeLong(e.getKey().value());
                secret(out, e.getValue());
            }
            Map<NodeIndex, AsymmetricCipherKeyPair> nodeKeys = (Map<NodeIndex, AsymmetricCipherKeyPair>) PRIVATE_KEYS.get(priv);
            out.writeInt(nodeKeys.size());
            for (Map.Entry<NodeIndex, AsymmetricCipherKeyPair> e : nodeKeys.entrySet()) {
                out.writeLong(e.getKey().value());
                bytes(out, suite.getHPKE().serializePrivateKey(e.getValue().getPrivate()));
            }

            KeyScheduleEpoch ks = (KeyScheduleEpoch) KEY_SCHEDULE.get(group);
            for (Secret s : new Secret[]{ks.initSecret, ks.senderDataSecret, ks.exporterSecret, ks.confirmationKey,
                    ks.membershipKey, ks.resumptionPSK, ks.epochAuthenticator, ks.encryptionSecret, ks.externalSecret,
                    ks.joinerSecret}) {
                secret(out, s);
            }
            keySet(out, (GroupKeySet) KEYS.get(group), index);

            List<CachedProposal> pending = (List<CachedProposal>) PENDING.get(group);
            out.writeInt(pending.size());
            for (CachedProposal p : pending) {
                bytes(out, (byte[]) PROPOSAL_REF.get(p));
                bytes(out, MLSOutputStream.encode((Proposal) PROPOSAL.get(p)));
                LeafIndex sender = (LeafIndex) PROPOSAL_SENDER.get(p);
                out.writeInt(sender == null ? -1 : sender.value());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException | IllegalAccessException e) {
            throw new IllegalStateException("MLS group state could not be encoded", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void keySet(DataOutputStream out, GroupKeySet keys, LeafIndex self) throws IOException, IllegalAccessException {
        out.writeBoolean(keys != null);
        if (keys == null) {
            return;
        }
        out.writeLong(((TreeSize) TREE_SIZE.get(keys.secretTree)).leafCount());
        secret(out, (Secret) COMMITMENT.get(keys));
        Map<LeafIndex, GroupKeySet.HashRatchet> handshake = (Map<LeafIndex, GroupKeySet.HashRatchet>) HANDSHAKE.get(keys);
        Map<LeafIndex, GroupKeySet.HashRatchet> application = (Map<LeafIndex, GroupKeySet.HashRatchet>) APPLICATION.get(keys);
        out.writeInt(keys.secretTree.secrets.size());
        for (Map.Entry<NodeIndex, Secret> e : keys.secretTree.secrets.entrySet()) {
            out.writeLong(e.getKey().value());
            boolean spent = e.getKey().isLeaf() && handshake.containsKey(new LeafIndex(e.getKey()));
            secret(out, spent ? null : e.getValue());
        }
        for (Map<LeafIndex, GroupKeySet.HashRatchet> ratchets : List.of(handshake, application)) {
            out.writeInt(ratchets.size());
            for (Map.Entry<LeafIndex, GroupKeySet.HashRatchet> e : ratchets.entrySet()) {
                out.writeInt(e.getKey().value());
                GroupKeySet.HashRatchet r = e.getValue();
                secret(out, (Secret) NEXT_SECRET.get(r));
                out.writeInt(NEXT_GENERATION.getInt(r));
                Map<Integer, KeyGeneration> cache = e.getKey().equals(self) ? Map.of() : (Map<Integer, KeyGeneration>) CACHE.get(r);
                out.writeInt(cache.size());
                for (KeyGeneration k : cache.values()) {
                    out.writeInt(k.generation);
                    bytes(out, k.key);
                    bytes(out, k.nonce);
                }
            }
        }
    }

    /** Rebuilds a group from {@link #encode}'s bytes. */
    @SuppressWarnings("unchecked")
    static Group decode(byte[] state) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            if (in.readByte() != FORMAT) {
                throw new IllegalArgumentException("unknown MLS group state format");
            }
            MlsCipherSuite suite = MlsSuites.suite(in.readShort());
            Group group = new Group();
            SUITE.set(group, suite);
            long epoch = in.readLong();
            EPOCH.setLong(group, epoch);
            GROUP_ID.set(group, bytes(in));
            LeafIndex index = new LeafIndex(in.readInt());
            INDEX.set(group, index);
            IDENTITY_SK.set(group, bytes(in));
            CACHED_UPDATE.set(group, null);

            Map<Secret, byte[]> external = new HashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                external.put(secret(in), bytes(in));
            }
            EXTERNAL_PSKS.set(group, external);
            Map<Group.EpochRef, byte[]> resumption = new HashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                byte[] id = bytes(in);
                resumption.put(new Group.EpochRef(id, in.readLong()), bytes(in));
            }
            RESUMPTION_PSKS.set(group, resumption);

            TRANSCRIPT.set(group, new TranscriptHash(suite, bytes(in), bytes(in)));
            ArrayList<Extension> extensions = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                extensions.add((Extension) MLSInputStream.decode(bytes(in), Extension.class));
            }
            EXTENSIONS.set(group, extensions);
            TreeKEMPublicKey tree = (TreeKEMPublicKey) MLSInputStream.decode(bytes(in), TreeKEMPublicKey.class);
            tree.setSuite(suite);
            tree.setHashAll();
            TREE.set(group, tree);

            TreeKEMPrivateKey priv = new TreeKEMPrivateKey(suite, index);
            for (int i = in.readInt(); i > 0; i--) {
                NodeIndex node = new NodeIndex(in.readLong());
                priv.insertPathSecret(node, secret(in));
            }
            for (int i = in.readInt(); i > 0; i--) {
                NodeIndex node = new NodeIndex(in.readLong());
                priv.insertPrivateKey(node, suite.getHPKE().deserializePrivateKey(bytes(in), null));
            }
            if (!priv.consistent(tree)) {
                throw new IllegalArgumentException("the saved private keys do not match the saved ratchet tree");
            }
            TREE_PRIV.set(group, priv);

            Secret[] s = new Secret[10];
            for (int i = 0; i < s.length; i++) {
                s[i] = orConsumed(secret(in));
            }
            GroupKeySet keys = keySet(in, suite);
            AsymmetricCipherKeyPair externalKeyPair = s[8].isConsumed() ? null : suite.getHPKE().deriveKeyPair(s[8].value());
            KEY_SCHEDULE.set(group, new KeyScheduleEpoch(suite, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8],
                    externalKeyPair, keys, s[9]));
            KEYS.set(group, keys);

            ArrayList<CachedProposal> pending = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                byte[] ref = bytes(in);
                Proposal proposal = (Proposal) MLSInputStream.decode(bytes(in), Proposal.class);
                int sender = in.readInt();
                pending.add(new CachedProposal(ref, proposal, sender < 0 ? null : new LeafIndex(sender)));
            }
            PENDING.set(group, pending);
            if (in.available() != 0) {
                throw new IllegalArgumentException("trailing bytes after the MLS group state");
            }
            return group;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("MLS group state could not be decoded", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static GroupKeySet keySet(DataInputStream in, MlsCipherSuite suite) throws Exception {
        if (!in.readBoolean()) {
            return null;
        }
        TreeSize size = TreeSize.forLeaves(in.readLong());
        GroupKeySet keys = new GroupKeySet(suite, size, new Secret(new byte[suite.getKDF().getHashLength()]));
        COMMITMENT.set(keys, orConsumed(secret(in)));
        keys.secretTree.secrets.clear();
        for (int i = in.readInt(); i > 0; i--) {
            NodeIndex node = new NodeIndex(in.readLong());
            keys.secretTree.secrets.put(node, orConsumed(secret(in)));
        }
        for (Field field : List.of(HANDSHAKE, APPLICATION)) {
            Map<LeafIndex, GroupKeySet.HashRatchet> ratchets = (Map<LeafIndex, GroupKeySet.HashRatchet>) field.get(keys);
            for (int i = in.readInt(); i > 0; i--) {
                LeafIndex leaf = new LeafIndex(in.readInt());
                GroupKeySet.HashRatchet r = RATCHET.newInstance(keys, orConsumed(secret(in)));
                NEXT_GENERATION.setInt(r, in.readInt());
                Map<Integer, KeyGeneration> cache = (Map<Integer, KeyGeneration>) CACHE.get(r);
                for (int j = in.readInt(); j > 0; j--) {
                    int generation = in.readInt();
                    cache.put(generation, new KeyGeneration(generation, new Secret(bytes(in)), new Secret(bytes(in))));
                }
                ratchets.put(leaf, r);
            }
        }
        return keys;
    }

    private static Secret orConsumed(Secret s) {
        return s == null ? new Secret(null) : s;
    }

    /** 0: absent or consumed; 1: a value. */
    private static void secret(DataOutputStream out, Secret s) throws IOException {
        if (s == null || s.isConsumed() || s.value() == null) {
            out.writeByte(0);
        } else {
            out.writeByte(1);
            bytes(out, s.value());
        }
    }

    private static Secret secret(DataInputStream in) throws IOException {
        return in.readByte() == 0 ? null : new Secret(bytes(in));
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        if (n > in.available()) {
            throw new IOException("a field is longer than the state");
        }
        return in.readNBytes(n);
    }

    private static Field field(Class<?> c, String name) {
        try {
            Field f = c.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("bcmls is not 1.84: " + c.getSimpleName() + "." + name + " is missing", e);
        }
    }
}
