package org.wardline.protocol.mls;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.mls.TreeKEM.LeafIndex;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.codec.Proposal;
import org.bouncycastle.mls.crypto.MlsCipherSuite;

import java.nio.charset.StandardCharsets;

/**
 * The server's side of the external sender: signs Remove proposals for a group and epoch, as sender index 0 of
 * the group's {@code external_senders} extension ({@link ExternalSenderKey}). Holds the private key: keep one
 * instance, never log it.
 */
public final class ExternalSenderSigner {
    private final MlsCipherSuite suite;
    private final byte[] signingPrivate;
    private final ExternalSenderKey key;

    private ExternalSenderSigner(MlsCipherSuite suite, byte[] signingPrivate, ExternalSenderKey key) {
        this.suite = suite;
        this.signingPrivate = signingPrivate;
        this.key = key;
    }

    /**
     * A signer from a key pair held elsewhere (the server keeps it in a PKCS#12 file), as bcmls lightweight
     * parameters of the suite's signature algorithm (ECDSA P-384 for suite 0x0007).
     */
    public static ExternalSenderSigner of(short suiteId, AsymmetricKeyParameter privateKey, AsymmetricKeyParameter publicKey) {
        MlsCipherSuite suite = MlsSuites.suite(suiteId);
        synchronized (Bcmls.LOCK) {
            return new ExternalSenderSigner(suite, suite.serializeSignaturePrivateKey(privateKey),
                    new ExternalSenderKey(suite.serializeSignaturePublicKey(publicKey),
                            ExternalSenderKey.IDENTITY.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** A fresh key pair of the suite's signature algorithm (tests, and the server's first start). */
    public static AsymmetricCipherKeyPair generateKeyPair(short suiteId) {
        MlsCipherSuite suite = MlsSuites.suite(suiteId);
        synchronized (Bcmls.LOCK) {
            return suite.generateSignatureKeyPair();
        }
    }

    public ExternalSenderKey key() {
        return key;
    }

    /** An MLSMessage (PublicMessage, sender external #0) proposing to remove {@code leaf} at {@code epoch}. */
    public byte[] removal(byte[] groupId, long epoch, int leaf) {
        try {
            synchronized (Bcmls.LOCK) {
                return MLSOutputStream.encode(MLSMessage.externalProposal(suite, groupId, epoch,
                        Proposal.remove(new LeafIndex(leaf)), 0, signingPrivate));
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not sign an external Remove proposal", e);
        }
    }

    @Override
    public String toString() {
        return "ExternalSenderSigner[" + key + "]";
    }
}
