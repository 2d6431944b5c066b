package org.wardline.server.auth.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.dpop.verifiers.AccessTokenValidationException;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPIssuer;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProtectedResourceRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPTokenRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InvalidDPoPProofException;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
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
public final class DpopProofs implements AutoCloseable {
    /** Proofs are made per request: one older than this is refused. */
    public static final Duration WINDOW = Duration.ofSeconds(60);
    /** How far a proof's {@code iat} may lie in the future (clock drift only). */
    public static final Duration FUTURE_SKEW = Duration.ofSeconds(5);
    /** The longest {@code jti} accepted (the web app sends a UUID). */
    public static final int MAX_JTI_CHARS = 64;
    /** Proofs remembered at most; beyond, new proofs are refused until old ones expire. */
    public static final int REPLAY_CACHE_CAPACITY = 200_000;
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384);
    private static final DPoPIssuer BROWSERS = new DPoPIssuer("wardline-browser-devices");
    private static final int MAX_PROOF_CHARS = 4096;

    private final HttpTargets targets;
    private final ReplayCache used;

    /** {@code publicUrl}: the address browsers reach the public listener at (its path prefixes every target). */
    public DpopProofs(URI publicUrl) {
        this(publicUrl, REPLAY_CACHE_CAPACITY);
    }

    DpopProofs(URI publicUrl, int replayCacheCapacity) {
        this.targets = new HttpTargets(publicUrl);
        long remember = WINDOW.toSeconds() + 2 * FUTURE_SKEW.toSeconds() + 5;
        this.used = new ReplayCache(remember, replayCacheCapacity);
    }

    /** Stops the replay cache's purge timer. */
    @Override
    public void close() {
        used.close();
    }

    /**
     * The thumbprint of the key that signed {@code proof}, made for {@code method} on {@code path} (and for
     * {@code accessToken} when it is not null); a {@link WardlineHttpException} with {@link ErrorCode#DPOP_INVALID}
     * or {@link ErrorCode#DPOP_REPLAYED} otherwise. Its message never carries the proof.
     */
    public String verify(String method, String path, String proof, String accessToken) {
        return verify(method, path, proof, accessToken, false);
    }

    /** The same; for a WebSocket upgrade ({@code webSocket}) the proof's {@code htu} is the {@code wss} address. */
    public String verify(String method, String path, String proof, String accessToken, boolean webSocket) {
        if (proof == null || proof.isEmpty() || proof.length() > MAX_PROOF_CHARS) {
            throw new WardlineHttpException(ErrorCode.DPOP_INVALID);
        }
        try {
            String expected = targets.expected(path, webSocket);
            SignedJWT jwt = SignedJWT.parse(proof);
            String jti = jwt.getJWTClaimsSet().getJWTID();
            if (jti == null || jti.length() > MAX_JTI_CHARS) {
                throw new WardlineHttpException(ErrorCode.DPOP_INVALID);
            }
            URI htu = htuOf(jwt);
            if (!HttpTargets.normalised(htu).toString().equals(expected)) {
                throw new WardlineHttpException(ErrorCode.DPOP_INVALID);
            }
            JWK key = jwt.getHeader().getJWK();
            if (key == null || key.isPrivate()) {
                throw new WardlineHttpException(ErrorCode.DPOP_INVALID);
            }
            String jkt = DpopKeys.thumbprint(key);
            long skew = FUTURE_SKEW.toSeconds();
            long maxAge = WINDOW.toSeconds();
            if (accessToken == null) {
                if (!"POST".equals(method)) {
                    throw new WardlineHttpException(ErrorCode.DPOP_INVALID);
                }
                new DPoPTokenRequestVerifier(ALGORITHMS, htu, skew, maxAge, used).verify(BROWSERS, jwt);
            } else {
                new DPoPProtectedResourceRequestVerifier(ALGORITHMS, skew, maxAge, used).verify(method, htu, BROWSERS, jwt,
                        new DPoPAccessToken(accessToken), new JWKThumbprintConfirmation(new Base64URL(jkt)));
            }
            return jkt;
        } catch (ReplayCache.Full e) {
            throw new WardlineHttpException(ErrorCode.RATE_LIMITED);
        } catch (InvalidDPoPProofException e) {
            throw new WardlineHttpException(replayed(e) ? ErrorCode.DPOP_REPLAYED : ErrorCode.DPOP_INVALID);
        } catch (ParseException | JOSEException | AccessTokenValidationException | IllegalArgumentException e) {
            throw new WardlineHttpException(ErrorCode.DPOP_INVALID);
        }
    }

    /** The proof's own {@code htu} without query and fragment: what Nimbus compares it with once it matched ours. */
    private static URI htuOf(SignedJWT jwt) throws ParseException {
        Object claim = jwt.getJWTClaimsSet().getClaim("htu");
        if (!(claim instanceof String s)) {
            throw new WardlineHttpException(ErrorCode.DPOP_INVALID);
        }
        try {
            URI u = new URI(s);
            return new URI(u.getScheme() + "://" + u.getRawAuthority() + (u.getRawPath() == null ? "" : u.getRawPath()));
        } catch (java.net.URISyntaxException e) {
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
