package org.wardline.server.auth.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.dpop.verifiers.AccessTokenValidationException;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPIssuer;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProofUse;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProtectedResourceRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPTokenRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InMemoryDPoPSingleUseChecker;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InvalidDPoPProofException;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.util.singleuse.SingleUseChecker;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.Set;

/**
 * Checks DPoP proofs (RFC 9449) with Nimbus: a compact JWS of type {@code dpop+jwt}, ES256 or ES384, signed by the
 * public key in its own header; {@code htm} and {@code htu} naming this request's method and public address (query
 * and fragment left out); {@code iat} within the window; {@code jti} never seen before on this node; and, when an
 * access token comes with it, {@code ath} the token's hash. Answers with the key's thumbprint. Nothing here looks
 * at the key's owner: {@link BrowserDeviceProofs} does.
 */
public final class DpopProofs {
    /** Proofs are made per request: one older than this, or this far in the future, is refused. */
    public static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384);
    private static final DPoPIssuer BROWSERS = new DPoPIssuer("wardline-browser-devices");
    private static final int MAX_PROOF_CHARS = 4096;

    private final URI publicOrigin;
    private final SingleUseChecker<DPoPProofUse> used;

    /** {@code publicUrl}: the address browsers reach the public listener at (its path is ignored). */
    public DpopProofs(URI publicUrl) {
        this.publicOrigin = URI.create(publicUrl.getScheme() + "://" + publicUrl.getRawAuthority());
        long remember = 2 * WINDOW.toSeconds() + 5;
        this.used = new InMemoryDPoPSingleUseChecker(remember, 30);
    }

    /**
     * The thumbprint of the key that signed {@code proof}, made for {@code method} on {@code path} (and for
     * {@code accessToken} when it is not null); a {@link WardlineHttpException} with {@link ErrorCode#DPOP_INVALID}
     * or {@link ErrorCode#DPOP_REPLAYED} otherwise. Its message never carries the proof.
     */
    public String verify(String method, String path, String proof, String accessToken) {
        if (proof == null || proof.isEmpty() || proof.length() > MAX_PROOF_CHARS) {
            throw new WardlineHttpException(ErrorCode.DPOP_INVALID);
        }
        URI htu;
        try {
            htu = publicOrigin.resolve(new URI(null, null, path, null));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new WardlineHttpException(ErrorCode.DPOP_INVALID);
        }
        try {
            SignedJWT jwt = SignedJWT.parse(proof);
            JWK key = jwt.getHeader().getJWK();
            if (key == null || key.isPrivate()) {
                throw new WardlineHttpException(ErrorCode.DPOP_INVALID);
            }
            String jkt = DpopKeys.thumbprint(key);
            long skew = WINDOW.toSeconds();
            if (accessToken == null) {
                if (!"POST".equals(method)) {
                    throw new WardlineHttpException(ErrorCode.DPOP_INVALID);
                }
                new DPoPTokenRequestVerifier(ALGORITHMS, htu, skew, skew, used).verify(BROWSERS, jwt);
            } else {
                new DPoPProtectedResourceRequestVerifier(ALGORITHMS, skew, skew, used).verify(method, htu, BROWSERS, jwt,
                        new DPoPAccessToken(accessToken), new JWKThumbprintConfirmation(new Base64URL(jkt)));
            }
            return jkt;
        } catch (InvalidDPoPProofException e) {
            throw new WardlineHttpException(replayed(e) ? ErrorCode.DPOP_REPLAYED : ErrorCode.DPOP_INVALID);
        } catch (ParseException | JOSEException | AccessTokenValidationException | IllegalArgumentException e) {
            throw new WardlineHttpException(ErrorCode.DPOP_INVALID);
        }
    }

    private static boolean replayed(InvalidDPoPProofException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.nimbusds.oauth2.sdk.util.singleuse.AlreadyUsedException) {
                return true;
            }
        }
        String m = e.getMessage();
        return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("already used");
    }
}
