package org.wardline.server.sso;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.wardline.server.config.WardlineConfig;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One configured OpenID Connect provider. Discovery ({@code /.well-known/openid-configuration}) is read once and
 * must name the configured issuer; its JWKS is fetched and cached by Nimbus, and refetched when a token names
 * a key ID it does not know (key rotation), at most once per {@code minRefresh}. ID tokens are accepted only
 * when signed with an asymmetric algorithm by a key from that JWKS, with the exact issuer, this client in the
 * audience (and as {@code azp} when there are several), unexpired, and carrying {@code sub} and {@code nonce}.
 * Blocking (HTTP): call from a worker.
 */
public final class OidcProvider {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.EdDSA);

    /** What Wardline takes from a verified ID token. */
    public record IdToken(String issuer, String subject, String nonce, List<String> amr) {
        public boolean provesMfa() {
            return amr != null && amr.stream().anyMatch(a -> Set.of("mfa", "otp", "hwk", "swk", "fido").contains(a));
        }
    }

    private final WardlineConfig.OidcIssuer config;
    private final ResourceRetriever http;
    private final Duration minRefresh;
    private volatile JWKSource<SecurityContext> keys;

    public OidcProvider(WardlineConfig.OidcIssuer config, Duration minRefresh) {
        this.config = config;
        this.http = new DefaultResourceRetriever(5_000, 5_000, 256 * 1024);
        this.minRefresh = minRefresh;
    }

    public String name() {
        return config.name();
    }

    public String issuer() {
        return config.issuer().toString();
    }

    private JWKSource<SecurityContext> keys() throws IOException {
        JWKSource<SecurityContext> k = keys;
        if (k != null) {
            return k;
        }
        synchronized (this) {
            if (keys == null) {
                String base = issuer().endsWith("/") ? issuer() : issuer() + "/";
                JsonObject discovery;
                try {
                    discovery = new JsonObject(http.retrieveResource(URI.create(base + ".well-known/openid-configuration").toURL()).getContent());
                } catch (DecodeException e) {
                    throw new IOException("discovery document of " + name() + " is not JSON");
                }
                if (!issuer().equals(discovery.getString("issuer"))) {
                    throw new IOException("discovery document of " + name() + " names another issuer");
                }
                String jwks = discovery.getString("jwks_uri");
                if (jwks == null) {
                    throw new IOException("discovery document of " + name() + " has no jwks_uri");
                }
                URL url = URI.create(jwks).toURL();
                keys = JWKSourceBuilder.<SecurityContext>create(url, http).rateLimited(Math.max(1, minRefresh.toMillis()))
                        .retrying(false).build();
            }
            return keys;
        }
    }

    /** The verified token, or empty when it is not acceptable for any reason. */
    public Optional<IdToken> verify(String idToken) throws IOException {
        if (idToken == null || idToken.length() > 16_384) {
            return Optional.empty();
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys()));
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(config.clientId(),
                new JWTClaimsSet.Builder().issuer(issuer()).build(), Set.of("sub", "exp", "iat", "nonce", "aud", "iss"));
        verifier.setMaxClockSkew(60);
        processor.setJWTClaimsSetVerifier(verifier);
        try {
            JWTClaimsSet c = processor.process(idToken, null);
            if (c.getAudience().size() > 1 && !config.clientId().equals(c.getStringClaim("azp"))) {
                return Optional.empty();
            }
            return Optional.of(new IdToken(issuer(), c.getSubject(), c.getStringClaim("nonce"), c.getStringListClaim("amr")));
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return Optional.empty();
        }
    }
}
