package org.wardline.protocol.mls;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.mls.TreeKEM.LeafNode;
import org.bouncycastle.mls.codec.KeyPackage;
import org.bouncycastle.mls.codec.MLSMessage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A key package and the private keys that go with it (init key, leaf encryption key). The device keeps the
 * bundle until a Welcome for the package arrives; only {@link #encoded()} leaves the device.
 */
public record KeyPackageBundle(KeyPackage keyPackage, byte[] encoded, AsymmetricCipherKeyPair initKeys,
                               AsymmetricCipherKeyPair leafKeys, LeafNode leafNode) {
    /** The package and its private keys as bytes, to be kept encrypted (a restarted device still opens Welcomes). */
    public byte[] save() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            synchronized (Bcmls.LOCK) {
                var hpke = keyPackage.getSuite().getHPKE();
                write(out, encoded);
                write(out, hpke.serializePrivateKey(initKeys.getPrivate()));
                write(out, hpke.serializePrivateKey(leafKeys.getPrivate()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Rebuilds a bundle from {@link #save()}'s bytes. */
    public static KeyPackageBundle restore(byte[] saved) throws InvalidMlsMessageException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved))) {
            byte[] encoded = read(in);
            MLSMessage m = MlsEnvelope.decodeFully(encoded);
            if (m.keyPackage == null) {
                throw new InvalidMlsMessageException("saved bundle holds no key package");
            }
            synchronized (Bcmls.LOCK) {
                var hpke = m.keyPackage.getSuite().getHPKE();
                AsymmetricCipherKeyPair init = hpke.deserializePrivateKey(read(in), null);
                AsymmetricCipherKeyPair leaf = hpke.deserializePrivateKey(read(in), null);
                return new KeyPackageBundle(m.keyPackage, encoded, init, leaf, m.keyPackage.getLeafNode());
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidMlsMessageException("saved key package bundle could not be read", e);
        }
    }

    private static void write(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] read(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("truncated");
        }
        return in.readNBytes(n);
    }

    @Override
    public String toString() {
        return "KeyPackageBundle[" + encoded.length + " bytes]";
    }
}
