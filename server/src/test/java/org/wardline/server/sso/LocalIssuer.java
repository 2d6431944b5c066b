package org.wardline.server.sso;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small OpenID provider for tests: a real HTTP server on loopback serving discovery and a JWKS of RSA keys the
 * test controls (add, rotate, drop), and minting ID tokens with them.
 */
final class LocalIssuer implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;
    private final List<RSAKey> keys = new ArrayList<>();
    final AtomicInteger jwksFetches = new AtomicInteger();
    volatile String advertisedIssuer;

    LocalIssuer(Vertx vertx) throws Exception {
        this.vertx = vertx;
        keys.add(newKey());
        server = vertx.createHttpServer().requestHandler(req -> {
            switch (req.path()) {
                case "/.well-known/openid-configuration" -> req.response().putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("issuer", advertisedIssuer).put("jwks_uri", issuer() + "/jwks")
                                .put("id_token_signing_alg_values_supported", List.of("RS256")).encode());
                case "/jwks" -> {
                    jwksFetches.incrementAndGet();
                    List<JWK> pub;
                    synchronized (keys) {
                        pub = keys.stream().map(k -> (JWK) k.toPublicJWK()).toList();
                    }
                    req.response().putHeader("Content-Type", "application/json").end(new JWKSet(pub).toString());
                }
                default -> req.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        advertisedIssuer = issuer();
    }

    static RSAKey newKey() throws Exception {
        return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    RSAKey currentKey() {
        synchronized (keys) {
            return keys.get(0);
        }
    }

    /** Publishes a new key and signs with it from now on; the old one stays published unless dropped. */
    RSAKey rotate(boolean dropOld) throws Exception {
        RSAKey k = newKey();
        synchronized (keys) {
            if (dropOld) {
                keys.clear();
            }
            keys.add(0, k);
        }
        return k;
    }

    JWTClaimsSet.Builder claims(String audience, String subject, String nonce) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer(issuer()).audience(audience).subject(subject).claim("nonce", nonce)
                .issueTime(new java.util.Date(now)).expirationTime(new java.util.Date(now + 300_000));
    }

    String sign(JWTClaimsSet claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    String sign(JWTClaimsSet claims) throws Exception {
        return sign(claims, currentKey());
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get();
    }
}
