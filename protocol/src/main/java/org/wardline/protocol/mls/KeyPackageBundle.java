package org.wardline.protocol.mls;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.mls.TreeKEM.LeafNode;
import org.bouncycastle.mls.codec.KeyPackage;

/**
 * A key package and the private keys that go with it (init key, leaf encryption key). The device keeps the
 * bundle until a Welcome for the package arrives; only {@link #encoded()} leaves the device.
 */
public record KeyPackageBundle(KeyPackage keyPackage, byte[] encoded, AsymmetricCipherKeyPair initKeys,
                               AsymmetricCipherKeyPair leafKeys, LeafNode leafNode) {
    @Override
    public String toString() {
        return "KeyPackageBundle[" + encoded.length + " bytes]";
    }
}
