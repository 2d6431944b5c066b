package org.wardline.protocol.mls;

import org.bouncycastle.mls.codec.CredentialType;
import org.bouncycastle.mls.codec.KeyPackage;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.WireFormat;

import java.nio.charset.StandardCharsets;

/**
 * The delivery service's check of an uploaded key package: well-formed, correctly signed, of the expected
 * suite, with a basic credential whose identity is exactly the uploading device's URI (the certificate binding
 * of docs/adr/0002-mls-credentials.md).
 */
public final class KeyPackageCheck {
    private KeyPackageCheck() {
    }

    /** Returns the credential's device URI when every check passes. */
    public static DeviceUri verify(byte[] encoded, short suiteId, DeviceUri uploader) throws InvalidMlsMessageException {
        MLSMessage message = MlsEnvelope.decodeFully(encoded);
        if (message.wireFormat != WireFormat.mls_key_package || message.keyPackage == null) {
            throw new InvalidMlsMessageException("not a key package");
        }
        KeyPackage kp = message.keyPackage;
        if (kp.getSuite().getSuiteID() != suiteId) {
            throw new InvalidMlsMessageException("key package of another cipher suite");
        }
        try {
            boolean valid;
            synchronized (Bcmls.LOCK) {
                valid = kp.verify();
            }
            if (!valid) {
                throw new InvalidMlsMessageException("key package signature does not verify");
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new InvalidMlsMessageException("key package signature does not verify", e);
        }
        DeviceUri identity = credentialIdentity(kp);
        if (!identity.equals(uploader)) {
            throw new InvalidMlsMessageException("key package credential names another device");
        }
        return identity;
    }

    /** The device URI in a key package's basic credential. */
    public static DeviceUri credentialIdentity(KeyPackage kp) throws InvalidMlsMessageException {
        var credential = kp.getLeafNode().getCredential();
        if (credential.getCredentialType() != CredentialType.basic) {
            throw new InvalidMlsMessageException("credential is not a basic credential");
        }
        return DeviceUri.parse(new String(credential.getIdentity(), StandardCharsets.UTF_8))
                .orElseThrow(() -> new InvalidMlsMessageException("credential identity is not a device URI"));
    }
}
