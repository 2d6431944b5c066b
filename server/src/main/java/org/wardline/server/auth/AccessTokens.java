package org.wardline.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Short-lived ES256 tokens (Nimbus). Access tokens ({@code typ: at+jwt}, audience {@link #API_AUDIENCE}) name a
 * user and a session; pending tokens ({@code typ: wardline-pending+jwt}) carry a half-finished sign-in from the
 * password step to the second-factor or enrolment step. Verification accepts ES256 only, from Wardline's own
 * keys, with issuer, audience, type, expiry and every required claim checked: {@code alg: none}, HS256 keyed
 * with the public key, foreign keys and expired or mis-addressed tokens are all refused.
 */
public final class AccessTokens {
    public static final String API_AUDIENCE = "urn:wardline:api";
    public static final String PENDING_AUDIENCE = "urn:wardline:sign-in";
    static final JOSEObjectType ACCESS_TYPE = new JOSEObjectType("at+jwt");
    static final JOSEObjectType PENDING_TYPE = new JOSEObjectType("wardline-pending+jwt");
    private static final Duration PENDING_LIFETIME = Duration.ofMinutes(5);

    private final AuthKeys keys;
    private final String issuer;
    private final Duration lifetime;
    private final Clock clock;

    public AccessTokens(AuthKeys keys, String issuer, Duration lifetime, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public String issuer() {
        return issuer;
    }

    public Duration lifetime() {
        return lifetime;
    }

    public String issueAccess(UUID userId, UUID sessionId, UUID deviceId) {
        return issueAccess(userId, sessionId, deviceId, null);
    }

    /** With {@code dpopJkt}, a DPoP-bound token (RFC 9449 §6): {@code cnf.jkt} names the browser device's key. */
    public String issueAccess(UUID userId, UUID sessionId, UUID deviceId, String dpopJkt) {
        JWTClaimsSet.Builder b = base(API_AUDIENCE, userId, lifetime).claim("sid", sessionId.toString());
        if (deviceId != null) {
            b.claim("dev", deviceId.toString());
        }
        if (dpopJkt != null) {
            b.claim("cnf", java.util.Map.of("jkt", dpopJkt));
        }
        return sign(ACCESS_TYPE, b.build());
    }

    /** A token for the next sign-in step: {@code stage} is {@code mfa} or {@code enroll}. */
    public String issuePending(UUID userId, String stage, UUID deviceId) {
        JWTClaimsSet.Builder b = base(PENDING_AUDIENCE, userId, PENDING_LIFETIME).claim("stage", stage);
        if (deviceId != null) {
            b.claim("dev", deviceId.toString());
        }
        return sign(PENDING_TYPE, b.build());
    }

    public Optional<TokenClaims> verifyAccess(String token) {
        return verify(token, ACCESS_TYPE, API_AUDIENCE, Set.of("sub", "sid", "jti", "iat", "exp", "iss", "aud"));
    }

    public Optional<TokenClaims> verifyPending(String token, String stage) {
        return verify(token, PENDING_TYPE, PENDING_AUDIENCE, Set.of("sub", "stage", "jti", "iat", "exp", "iss", "aud"))
                .filter(c -> stage.equals(c.stage()));
    }

    private JWTClaimsSet.Builder base(String audience, UUID userId, Duration ttl) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(userId.toString())
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString());
    }

    private String sign(JOSEObjectType type, JWTClaimsSet claims) {
        ECKey key = keys.currentSigningKey();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(type).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }

    private Optional<TokenClaims> verify(String token, JOSEObjectType type, String audience, Set<String> required) {
        if (token == null || token.length() > 8192) {
            return Optional.empty();
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(type));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(keys.publicKeys())));
        DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier = new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), required) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claimsVerifier.setMaxClockSkew(30);
        processor.setJWTClaimsSetVerifier(claimsVerifier);
        try {
            JWTClaimsSet c = processor.process(token, null);
            if (c.getAudience().size() != 1) {
                return Optional.empty();
            }
            String sid = c.getStringClaim("sid");
            String dev = c.getStringClaim("dev");
            java.util.Map<String, Object> cnf = c.getJSONObjectClaim("cnf");
            Object jkt = cnf == null ? null : cnf.get("jkt");
            if (cnf != null && !(jkt instanceof String)) {
                return Optional.empty();
            }
            return Optional.of(new TokenClaims(UUID.fromString(c.getSubject()), sid == null ? null : UUID.fromString(sid),
                    dev == null ? null : UUID.fromString(dev), c.getJWTID(), c.getExpirationTime().toInstant(),
                    c.getStringClaim("stage"), (String) jkt));
        } catch (ParseException | BadJOSEException | JOSEException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
