package org.wardline.server.auth.dpop;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;

import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link DpopProofs} on its own: the target a proof must name, its jti and iat, and the replay cache. */
class DpopProofsTest {
    private static final URI PUBLIC_URL = URI.create("https://wardline.example.org");
    private final ECKey key = generate();
    private DpopProofs proofs = new DpopProofs(PUBLIC_URL);

    @AfterEach
    void close() {
        proofs.close();
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String proof(String htu, String jti, Instant iat) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(),
                new JWTClaimsSet.Builder().jwtID(jti).claim("htm", "POST").claim("htu", htu).issueTime(Date.from(iat)).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private String proof(String htu) throws Exception {
        return proof(htu, UUID.randomUUID().toString(), Instant.now());
    }

    private static ErrorCode refusal(Runnable r) {
        try {
            r.run();
        } catch (WardlineHttpException e) {
            return e.code();
        }
        return null;
    }

    @Test
    void aPlainProofIsAcceptedAndAnswersWithTheKeysThumbprint() throws Exception {
        assertThat(proofs.verify("POST", "/v1/auth/login", proof("https://wardline.example.org/v1/auth/login"), null))
                .isEqualTo(key.computeThumbprint().toString());
    }

    @Test
    void aPercentEncodedPathIsComparedAsSent() throws Exception {
        String p = proof("https://wardline.example.org/v1/a%20b");
        assertThat(proofs.verify("POST", "/v1/a%20b", p, null)).isNotNull();
    }

    @Test
    void aDoubleSlashPathIsRefusedNotTakenForAHost() throws Exception {
        String p = proof("https://v1/auth/login");
        assertThat(refusal(() -> proofs.verify("POST", "//v1/auth/login", p, null))).isEqualTo(ErrorCode.DPOP_INVALID);
        String q = proof("https://wardline.example.org//v1/auth/login");
        assertThat(refusal(() -> proofs.verify("POST", "//v1/auth/login", q, null))).isEqualTo(ErrorCode.DPOP_INVALID);
    }

    @Test
    void hostCaseAndTheDefaultPortInTheProofDoNotMatter() throws Exception {
        assertThat(proofs.verify("POST", "/v1/auth/login", proof("HTTPS://Wardline.Example.ORG:443/v1/auth/login"), null)).isNotNull();
    }

    @Test
    void anotherHostPortOrPathIsRefused() throws Exception {
        for (String htu : new String[]{"https://evil.example.org/v1/auth/login", "https://wardline.example.org:8443/v1/auth/login",
                "http://wardline.example.org/v1/auth/login", "https://wardline.example.org/v1/auth/mfa"}) {
            String p = proof(htu);
            assertThat(refusal(() -> proofs.verify("POST", "/v1/auth/login", p, null))).as(htu).isEqualTo(ErrorCode.DPOP_INVALID);
        }
    }

    @Test
    void thePublicUrlsPathPrefixesTheTarget() throws Exception {
        proofs.close();
        proofs = new DpopProofs(URI.create("https://Wardline.example.org:443/ward/"));
        assertThat(proofs.verify("POST", "/v1/auth/login", proof("https://wardline.example.org/ward/v1/auth/login"), null)).isNotNull();
        String p = proof("https://wardline.example.org/v1/auth/login");
        assertThat(refusal(() -> proofs.verify("POST", "/v1/auth/login", p, null))).isEqualTo(ErrorCode.DPOP_INVALID);
    }

    @Test
    void aLongJtiIsRefused() throws Exception {
        String p = proof("https://wardline.example.org/v1/auth/login", "j".repeat(DpopProofs.MAX_JTI_CHARS + 1), Instant.now());
        assertThat(refusal(() -> proofs.verify("POST", "/v1/auth/login", p, null))).isEqualTo(ErrorCode.DPOP_INVALID);
        String ok = proof("https://wardline.example.org/v1/auth/login", "j".repeat(DpopProofs.MAX_JTI_CHARS), Instant.now());
        assertThat(proofs.verify("POST", "/v1/auth/login", ok, null)).isNotNull();
    }

    @Test
    void aProofFromTheFutureIsRefusedBeyondTheClockSkew() throws Exception {
        String htu = "https://wardline.example.org/v1/auth/login";
        String future = proof(htu, UUID.randomUUID().toString(), Instant.now().plusSeconds(30));
        assertThat(refusal(() -> proofs.verify("POST", "/v1/auth/login", future, null))).isEqualTo(ErrorCode.DPOP_INVALID);
        assertThat(proofs.verify("POST", "/v1/auth/login", proof(htu, UUID.randomUUID().toString(), Instant.now().plusSeconds(2)), null))
                .isNotNull();
        assertThat(proofs.verify("POST", "/v1/auth/login", proof(htu, UUID.randomUUID().toString(), Instant.now().minusSeconds(45)), null))
                .isNotNull();
    }

    @Test
    void aFullReplayCacheRefusesNewProofsAndStillKnowsTheOldOnes() throws Exception {
        proofs.close();
        proofs = new DpopProofs(PUBLIC_URL, 2);
        String htu = "https://wardline.example.org/v1/auth/login";
        String first = proof(htu);
        proofs.verify("POST", "/v1/auth/login", first, null);
        proofs.verify("POST", "/v1/auth/login", proof(htu), null);
        String third = proof(htu);
        assertThat(refusal(() -> proofs.verify("POST", "/v1/auth/login", third, null))).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(refusal(() -> proofs.verify("POST", "/v1/auth/login", first, null))).isNotNull();
    }

    @Test
    void closeStopsTheReplayCachesPurgeTimer() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        DpopProofs other = new DpopProofs(PUBLIC_URL);
        Set<Thread> timers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.getName().equals("dpop-single-use-jti-cache-purge-task")).collect(Collectors.toSet());
        assertThat(timers).hasSize(1);
        other.close();
        Thread timer = timers.iterator().next();
        timer.join(5_000);
        assertThat(timer.isAlive()).isFalse();
    }
}
