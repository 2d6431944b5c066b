package org.wardline.server.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.Secret;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessTokensTest {
    private static final String ISSUER = "https://wardline.test";
    private static final Secret<String> PASSPHRASE = Secret.of("test key passphrase");

    @TempDir
    Path dir;

    private AuthKeys keys;
    private AccessTokens tokens;
    private final UUID user = UUID.randomUUID();
    private final UUID session = UUID.randomUUID();

    @BeforeEach
    void keys() {
        keys = AuthKeys.loadOrCreate(dir.resolve("keys.jwe"), PASSPHRASE);
        tokens = new AccessTokens(keys, ISSUER, Duration.ofMinutes(10), Clock.systemUTC());
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AccessTokens.API_AUDIENCE).subject(user.toString())
                .claim("sid", session.toString()).jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    }

    private String signWithServerKey(JWTClaimsSet c) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keys.currentSigningKey().getKeyID())
                .type(AccessTokens.ACCESS_TYPE).build(), c);
        jwt.sign(new ECDSASigner(keys.currentSigningKey()));
        return jwt.serialize();
    }

    @Test
    void aTokenWeIssuedVerifiesWithKidIssuerAudienceAndJti() throws Exception {
        String t = tokens.issueAccess(user, session, null);
        SignedJWT parsed = SignedJWT.parse(t);
        assertThat(parsed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(parsed.getHeader().getKeyID()).isEqualTo(keys.currentSigningKey().getKeyID());
        assertThat(parsed.getJWTClaimsSet().getJWTID()).isNotBlank();
        assertThat(parsed.getJWTClaimsSet().getExpirationTime().getTime() - parsed.getJWTClaimsSet().getIssueTime().getTime())
                .isEqualTo(Duration.ofMinutes(10).toMillis());
        TokenClaims c = tokens.verifyAccess(t).orElseThrow();
        assertThat(c.userId()).isEqualTo(user);
        assertThat(c.sessionId()).isEqualTo(session);
        assertThat(tokens.verifyAccess(signWithServerKey(claims().build()))).as("control: hand-made valid token").isPresent();
    }

    @Test
    void aForgedSignatureIsRefused() {
        String t = tokens.issueAccess(user, session, null);
        String[] parts = t.split("\\.");
        char[] sig = parts[2].toCharArray();
        sig[10] = sig[10] == 'A' ? 'B' : 'A';
        assertThat(tokens.verifyAccess(parts[0] + "." + parts[1] + "." + new String(sig))).isEmpty();
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims().subject(UUID.randomUUID().toString()).build().toString().getBytes());
        assertThat(tokens.verifyAccess(parts[0] + "." + otherPayload + "." + parts[2])).as("swapped payload").isEmpty();
    }

    @Test
    void anExpiredTokenIsRefused() {
        AccessTokens past = new AccessTokens(keys, ISSUER, Duration.ofMinutes(5),
                Clock.fixed(Instant.now().minus(Duration.ofMinutes(7)), ZoneOffset.UTC));
        String t = past.issueAccess(user, session, null);
        assertThat(tokens.verifyAccess(t)).isEmpty();
    }

    @Test
    void theWrongAudienceOrIssuerIsRefused() throws Exception {
        assertThat(tokens.verifyAccess(signWithServerKey(claims().audience("urn:other:api").build()))).isEmpty();
        assertThat(tokens.verifyAccess(signWithServerKey(claims().audience(java.util.List.of(AccessTokens.API_AUDIENCE, "urn:x")).build())))
                .as("two audiences").isEmpty();
        assertThat(tokens.verifyAccess(signWithServerKey(claims().issuer("https://evil.test").build()))).isEmpty();
        assertThat(tokens.verifyAccess(signWithServerKey(claims().claim("sid", null).build()))).as("no session").isEmpty();
    }

    @Test
    void algNoneIsRefused() {
        String unsecured = new PlainJWT(claims().build()).serialize();
        assertThat(unsecured).endsWith(".");
        assertThat(tokens.verifyAccess(unsecured)).isEmpty();
    }

    @Test
    void hs256KeyedWithThePublicKeyIsRefused() throws Exception {
        byte[] publicKey = keys.currentSigningKey().toECPublicKey().getEncoded();
        SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.currentSigningKey().getKeyID())
                .type(AccessTokens.ACCESS_TYPE).build(), claims().build());
        confused.sign(new MACSigner(publicKey));
        assertThat(tokens.verifyAccess(confused.serialize())).isEmpty();
        SignedJWT confusedJson = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.currentSigningKey().getKeyID())
                .type(AccessTokens.ACCESS_TYPE).build(), claims().build());
        confusedJson.sign(new MACSigner(keys.publicKeys().toString().getBytes()));
        assertThat(tokens.verifyAccess(confusedJson.serialize())).isEmpty();
    }

    @Test
    void aKeyThatIsNotOursIsRefusedEvenWithOurKid() throws Exception {
        AuthKeys other = AuthKeys.loadOrCreate(dir.resolve("other.jwe"), PASSPHRASE);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keys.currentSigningKey().getKeyID())
                .type(AccessTokens.ACCESS_TYPE).build(), claims().build());
        jwt.sign(new ECDSASigner(other.currentSigningKey()));
        assertThat(tokens.verifyAccess(jwt.serialize())).isEmpty();
    }

    @Test
    void aPendingSignInTokenIsNotAnAccessTokenNorTheOtherWayRound() {
        String pending = tokens.issuePending(user, "mfa", null);
        assertThat(tokens.verifyAccess(pending)).isEmpty();
        assertThat(tokens.verifyPending(pending, "enroll")).isEmpty();
        assertThat(tokens.verifyPending(pending, "mfa")).isPresent();
        assertThat(tokens.verifyPending(tokens.issueAccess(user, session, null), "mfa")).isEmpty();
    }

    @Test
    void keysAreStoredEncryptedSurviveRestartAndRotationKeepsOldTokensValid() throws Exception {
        String before = tokens.issueAccess(user, session, null);
        String file = Files.readString(dir.resolve("keys.jwe"));
        assertThat(file.split("\\.")).hasSize(5);
        assertThat(file).doesNotContain("\"d\"");
        AuthKeys reopened = AuthKeys.loadOrCreate(dir.resolve("keys.jwe"), PASSPHRASE);
        reopened.rotate();
        AccessTokens after = new AccessTokens(reopened, ISSUER, Duration.ofMinutes(10), Clock.systemUTC());
        assertThat(after.verifyAccess(before)).isPresent();
        assertThat(SignedJWT.parse(after.issueAccess(user, session, null)).getHeader().getKeyID())
                .isNotEqualTo(SignedJWT.parse(before).getHeader().getKeyID());
        assertThatThrownBy(() -> AuthKeys.loadOrCreate(dir.resolve("keys.jwe"), Secret.of("wrong passphrase")))
                .hasMessageContaining("wrong keys.passphrase");
    }

    @Test
    void garbageIsRefusedQuietly() {
        assertThat(tokens.verifyAccess("not.a.token")).isEmpty();
        assertThat(tokens.verifyAccess("")).isEmpty();
        assertThat(tokens.verifyAccess("x".repeat(10_000))).isEmpty();
    }
}
