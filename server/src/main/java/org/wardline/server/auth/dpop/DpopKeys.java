package org.wardline.server.auth.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;

/** The RFC 7638 JWK SHA-256 thumbprint ("jkt") that binds a browser device, its tokens and its DPoP proofs to one key. */
public final class DpopKeys {
    private DpopKeys() {
    }

    /** The thumbprint of a device key (ECDSA P-256 or P-384, as {@link org.wardline.server.pki.CsrValidator} admits). */
    public static String thumbprint(PublicKey key) {
        if (!(key instanceof ECPublicKey ec)) {
            throw new IllegalArgumentException("a browser device key is an EC key");
        }
        Curve curve = Curve.forECParameterSpec(ec.getParams());
        if (curve == null) {
            throw new IllegalArgumentException("unsupported curve");
        }
        return thumbprint(new ECKey.Builder(curve, ec).build());
    }

    static String thumbprint(JWK key) {
        try {
            return JWKThumbprintConfirmation.of(key.toPublicJWK()).getValue().toString();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot compute the key's thumbprint", e);
        }
    }
}
