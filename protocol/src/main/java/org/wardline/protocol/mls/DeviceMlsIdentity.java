package org.wardline.protocol.mls;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.mls.TreeKEM.LeafNode;
import org.bouncycastle.mls.TreeKEM.LifeTime;
import org.bouncycastle.mls.codec.Capabilities;
import org.bouncycastle.mls.codec.Credential;
import org.bouncycastle.mls.codec.KeyPackage;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.crypto.MlsCipherSuite;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * A device's MLS signing identity: one signature key pair per device and a basic credential whose identity is
 * the device URI (docs/adr/0002-mls-credentials.md). Makes key packages and leaf nodes for new groups.
 */
public final class DeviceMlsIdentity {
    private final DeviceUri device;
    private final MlsCipherSuite suite;
    private final AsymmetricCipherKeyPair signing;
    private final byte[] signingPrivate;

    private DeviceMlsIdentity(DeviceUri device, MlsCipherSuite suite, AsymmetricCipherKeyPair signing) {
        this.device = device;
        this.suite = suite;
        this.signing = signing;
        this.signingPrivate = suite.serializeSignaturePrivateKey(signing.getPrivate());
    }

    public static DeviceMlsIdentity generate(DeviceUri device, short suiteId) {
        MlsCipherSuite suite = MlsSuites.suite(suiteId);
        synchronized (Bcmls.LOCK) {
            return new DeviceMlsIdentity(device, suite, suite.generateSignatureKeyPair());
        }
    }

    /** Restores an identity from its serialized signature private key (see {@link #signingPrivateKey()}). */
    public static DeviceMlsIdentity restore(DeviceUri device, short suiteId, byte[] signingPrivateKey) {
        MlsCipherSuite suite = MlsSuites.suite(suiteId);
        return new DeviceMlsIdentity(device, suite, suite.deserializeSignaturePrivateKey(signingPrivateKey));
    }

    public DeviceUri device() {
        return device;
    }

    public MlsCipherSuite suite() {
        return suite;
    }

    /** The serialized signature private key; secret: store it only encrypted. */
    public byte[] signingPrivateKey() {
        return signingPrivate.clone();
    }

    public Credential credential() {
        return Credential.forBasic(device.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh leaf node with a fresh encryption key pair, e.g. for the creator of a new group. */
    public LeafWithKeys newLeaf() {
        synchronized (Bcmls.LOCK) {
            return newLeafLocked();
        }
    }

    private LeafWithKeys newLeafLocked() {
        AsymmetricCipherKeyPair leafKeys = suite.getHPKE().generatePrivateKey();
        try {
            LeafNode node = new LeafNode(suite, suite.getHPKE().serializePublicKey(leafKeys.getPublic()),
                    suite.serializeSignaturePublicKey(signing.getPublic()), credential(), new Capabilities(),
                    new LifeTime(), new ArrayList<>(), signingPrivate);
            return new LeafWithKeys(node, leafKeys);
        } catch (Exception e) {
            throw new IllegalStateException("could not build an MLS leaf node", e);
        }
    }

    /** A fresh key package for others to add this device with. */
    public KeyPackageBundle newKeyPackage() {
        synchronized (Bcmls.LOCK) {
            return newKeyPackageLocked();
        }
    }

    private KeyPackageBundle newKeyPackageLocked() {
        LeafWithKeys leaf = newLeafLocked();
        AsymmetricCipherKeyPair init = suite.getHPKE().generatePrivateKey();
        try {
            KeyPackage kp = new KeyPackage(suite, suite.getHPKE().serializePublicKey(init.getPublic()), leaf.node(),
                    new ArrayList<>(), signingPrivate);
            byte[] encoded = MLSOutputStream.encode(MLSMessage.keyPackage(kp));
            return new KeyPackageBundle(kp, encoded, init, leaf.keys(), leaf.node());
        } catch (Exception e) {
            throw new IllegalStateException("could not build an MLS key package", e);
        }
    }

    /** A leaf node and its encryption key pair. */
    public record LeafWithKeys(LeafNode node, AsymmetricCipherKeyPair keys) {
    }

    @Override
    public String toString() {
        return "DeviceMlsIdentity[" + device + "]";
    }
}
