package org.wardline.protocol.mls;

import org.bouncycastle.mls.codec.Credential;
import org.bouncycastle.mls.codec.Extension;
import org.bouncycastle.mls.codec.ExternalSender;
import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSOutputStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The server's MLS external-sender identity (RFC 9420 §12.1.8.1): its signature public key and a basic
 * credential. Clients put it in every new group's {@code external_senders} extension so that members can verify
 * the Remove proposals the server signs for wiped devices (docs/adr/0006-remote-wipe.md). Public, not secret.
 */
public final class ExternalSenderKey {
    /** The identity of the server's credential. */
    public static final String IDENTITY = "urn:wardline:server:mls-external-sender";

    private final byte[] signatureKey;
    private final byte[] identity;

    public ExternalSenderKey(byte[] signatureKey, byte[] identity) {
        if (signatureKey.length == 0) {
            throw new IllegalArgumentException("empty signature key");
        }
        this.signatureKey = signatureKey.clone();
        this.identity = identity.clone();
    }

    /** Decodes an RFC 9420 {@code ExternalSender} struct (as {@link #encoded()} writes it). */
    public static ExternalSenderKey decode(byte[] encoded) throws InvalidMlsMessageException {
        try {
            ExternalSender sender;
            synchronized (Bcmls.LOCK) {
                sender = (ExternalSender) MLSInputStream.decode(encoded, ExternalSender.class);
            }
            ExternalSenderKey key = new ExternalSenderKey(sender.getSignatureKey(), identityOf(sender));
            if (!Arrays.equals(key.encoded(), encoded)) {
                throw new InvalidMlsMessageException("trailing or non-canonical external sender encoding");
            }
            return key;
        } catch (InvalidMlsMessageException e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidMlsMessageException("not an MLS ExternalSender", e);
        }
    }

    private static byte[] identityOf(ExternalSender sender) throws IOException {
        // ExternalSender has no credential getter in bcmls 1.84: read it back from its encoding.
        byte[] all = MLSOutputStream.encode(sender);
        MLSInputStream in = new MLSInputStream(all);
        in.readOpaque();
        Credential credential = (Credential) in.read(Credential.class);
        return credential.getIdentity();
    }

    public byte[] signatureKey() {
        return signatureKey.clone();
    }

    public String identity() {
        return new String(identity, StandardCharsets.UTF_8);
    }

    /** The RFC 9420 {@code ExternalSender} struct. */
    public byte[] encoded() {
        try {
            return MLSOutputStream.encode(sender());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    ExternalSender sender() {
        return new ExternalSender(signatureKey, Credential.forBasic(identity));
    }

    /** The {@code external_senders} group-context extension naming only this sender (sender index 0). */
    Extension extension() {
        try {
            return Extension.externalSender(List.of(sender()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of {@link #encoded()}, hex: what a client pins and a cluster compares. */
    public String fingerprint() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExternalSenderKey k && Arrays.equals(k.signatureKey, signatureKey)
                && Arrays.equals(k.identity, identity);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signatureKey);
    }

    @Override
    public String toString() {
        return "ExternalSenderKey[" + fingerprint().substring(0, 16) + "]";
    }
}
