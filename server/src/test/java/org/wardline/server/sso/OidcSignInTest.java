package org.wardline.server.sso;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.embedded.junit.PostgresExtension;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.Secret;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.AccountException;
import org.wardline.server.account.LoginThrottle;
import org.wardline.server.account.NewUser;
import org.wardline.server.account.PasswordHasher;
import org.wardline.server.account.Role;
import org.wardline.server.account.User;
import org.wardline.server.account.UserStore;
import org.wardline.server.auth.AccessTokens;
import org.wardline.server.auth.AuthKeys;
import org.wardline.server.auth.RecordingEvents;
import org.wardline.server.auth.SecondFactors;
import org.wardline.server.auth.SecretBox;
import org.wardline.server.auth.SessionStore;
import org.wardline.server.auth.SignInContext;
import org.wardline.server.auth.SignInResult;
import org.wardline.server.auth.SignInService;
import org.wardline.server.config.WardlineConfig;
import org.wardline.storage.db.Database;
import org.wardline.storage.db.DatabaseSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenID Connect sign-in against a real HTTP provider on loopback that serves discovery and a JWKS. */
class OidcSignInTest {
    private static final String CLIENT = "wardline-test";

    @RegisterExtension
    final PostgresExtension pg = new PostgresExtension();

    @TempDir
    Path dir;

    private Vertx vertx;
    private Database database;
    private LocalIssuer idp;
    private OidcSignIn sso;
    private OidcLinks links;
    private User clinician;
    private final RecordingEvents events = new RecordingEvents();
    private final SignInContext from = new SignInContext("192.0.2.1", "req-oidc-test", null);

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        database = Database.open(vertx, DatabaseSettings.of(pg.host(), pg.port(), pg.database(), pg.user(),
                org.wardline.protocol.Secret.of(pg.password())));
        idp = new LocalIssuer(vertx);
        var pool = database.pool();
        UserStore users = org.wardline.server.testing.UserStores.sealed(pool);
        AuthKeys keys = AuthKeys.loadOrCreate(dir.resolve("k.jwe"), Secret.of("passphrase"));
        SignInService signIn = new SignInService(users, new PasswordHasher(vertx, new WardlineConfig.Argon2(19_456, 2, 1)),
                new LoginThrottle(pool, 5, 50, Duration.ofMinutes(15)),
                new SecondFactors(pool, new SecretBox(keys.secretWrappingKey()), Clock.systemUTC()),
                new SessionStore(pool, Duration.ofMinutes(15), Duration.ofHours(12)),
                new AccessTokens(keys, "https://wardline.test", Duration.ofMinutes(10), Clock.systemUTC()), events);
        links = new OidcLinks(pool);
        OidcProvider provider = new OidcProvider(new WardlineConfig.OidcIssuer("hospital", URI.create(idp.issuer()), CLIENT),
                Duration.ofMillis(1));
        sso = new OidcSignIn(vertx, List.of(provider), new OidcNonces(pool), links, users, signIn, events);
        clinician = await(users.create(new NewUser("dr.sso", null, null, null, null, Set.of(Role.CLINICIAN)), null));
        await(links.link(idp.issuer(), "subject-123", clinician.id()));
    }

    @AfterEach
    void tearDown() throws Exception {
        idp.close();
        database.close();
        vertx.close();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get();
    }

    private void refused(String idToken, String why) throws Exception {
        events.clear();
        assertThatThrownBy(() -> await(sso.signIn("hospital", idToken, from))).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AccountException.class)
                .satisfies(e -> assertThat(((AccountException) e).code()).isEqualTo(ErrorCode.AUTH_FAILED));
        assertThat(events.of(AccountEvent.Type.SIGN_IN)).extracting(AccountEvent::detail).containsExactly(why);
    }

    @Test
    void aLinkedSubjectSignsInAndStillNeedsWardlinesSecondFactorUnlessTheProviderShowsMfa() throws Exception {
        String plain = idp.sign(idp.claims(CLIENT, "subject-123", await(sso.nonce())).claim("amr", List.of("pwd")).build());
        SignInResult first = await(sso.signIn("hospital", plain, from));
        assertThat(first).isInstanceOf(SignInResult.Pending.class);
        assertThat(((SignInResult.Pending) first).stage()).isEqualTo("enroll");

        String withMfa = idp.sign(idp.claims(CLIENT, "subject-123", await(sso.nonce())).claim("amr", List.of("pwd", "mfa")).build());
        assertThat(await(sso.signIn("hospital", withMfa, from))).isInstanceOf(SignInResult.Tokens.class);
        assertThat(events.of(AccountEvent.Type.SIGN_IN)).extracting(AccountEvent::detail).contains("oidc:hospital");
    }

    @Test
    void aDeviceOfAnotherUserCannotSignInWithTheProvidersToken() throws Exception {
        SignInContext othersBrowser = new SignInContext("192.0.2.1", "req-oidc-test",
                new org.wardline.server.auth.DeviceIdentity(java.util.UUID.randomUUID(), java.util.UUID.randomUUID()), "jkt");
        String withMfa = idp.sign(idp.claims(CLIENT, "subject-123", await(sso.nonce())).claim("amr", List.of("pwd", "mfa")).build());
        events.clear();
        assertThatThrownBy(() -> await(sso.signIn("hospital", withMfa, othersBrowser))).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AccountException.class)
                .satisfies(e -> assertThat(((AccountException) e).code()).isEqualTo(ErrorCode.AUTH_FAILED));
        assertThat(events.of(AccountEvent.Type.SIGN_IN)).extracting(AccountEvent::detail).containsExactly("device_mismatch");
    }

    @Test
    void badIdTokensAreRefusedAndRecorded() throws Exception {
        refused(idp.sign(idp.claims("another-client", "subject-123", await(sso.nonce())).build()), "oidc_invalid_token");
        refused(idp.sign(idp.claims(CLIENT, "subject-123", await(sso.nonce())).issuer("http://127.0.0.1:1").build()), "oidc_invalid_token");
        refused(idp.sign(idp.claims(CLIENT, "subject-123", await(sso.nonce()))
                .expirationTime(new java.util.Date(System.currentTimeMillis() - 120_000)).build()), "oidc_invalid_token");
        refused(idp.sign(idp.claims(CLIENT, "subject-123", await(sso.nonce())).audience(List.of(CLIENT, "other")).build()),
                "oidc_invalid_token");
        refused(idp.sign(idp.claims(CLIENT, "subject-123", "a-nonce-we-never-issued").build()), "oidc_nonce_unknown_or_used");
        refused(idp.sign(idp.claims(CLIENT, "subject-123", null).build()), "oidc_invalid_token");
        refused(idp.sign(idp.claims(CLIENT, "subject-404", await(sso.nonce())).build()), "oidc_not_linked");
        refused(new PlainJWT(idp.claims(CLIENT, "subject-123", await(sso.nonce())).build()).serialize(), "oidc_invalid_token");
        refused(idp.sign(idp.claims(CLIENT, "subject-123", await(sso.nonce())).build(), LocalIssuer.newKey()), "oidc_invalid_token");

        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(idp.currentKey().getKeyID()).build(),
                idp.claims(CLIENT, "subject-123", await(sso.nonce())).build());
        hs.sign(new MACSigner(idp.currentKey().toRSAPublicKey().getEncoded()));
        refused(hs.serialize(), "oidc_invalid_token");
    }

    @Test
    void anIdTokenCannotBeReplayed() throws Exception {
        String token = idp.sign(idp.claims(CLIENT, "subject-123", await(sso.nonce())).claim("amr", List.of("mfa")).build());
        assertThat(await(sso.signIn("hospital", token, from))).isInstanceOf(SignInResult.Tokens.class);
        refused(token, "oidc_nonce_unknown_or_used");
    }

    @Test
    void keyRotationIsFollowedAndDroppedKeysStopWorking() throws Exception {
        var oldKey = idp.currentKey();
        assertThat(await(sso.signIn("hospital", idp.sign(idp.claims(CLIENT, "subject-123", await(sso.nonce()))
                .claim("amr", List.of("mfa")).build()), from))).isInstanceOf(SignInResult.Tokens.class);
        int fetches = idp.jwksFetches.get();

        idp.rotate(true);
        assertThat(await(sso.signIn("hospital", idp.sign(idp.claims(CLIENT, "subject-123", await(sso.nonce()))
                .claim("amr", List.of("mfa")).build()), from))).isInstanceOf(SignInResult.Tokens.class);
        assertThat(idp.jwksFetches.get()).as("the new kid made Wardline refetch the JWKS").isGreaterThan(fetches);
        refused(idp.sign(idp.claims(CLIENT, "subject-123", await(sso.nonce())).build(), oldKey), "oidc_invalid_token");
    }

    @Test
    void aDiscoveryDocumentNamingAnotherIssuerIsRefused() throws Exception {
        idp.advertisedIssuer = "https://evil.example.org";
        OidcProvider provider = new OidcProvider(new WardlineConfig.OidcIssuer("x", URI.create(idp.issuer()), CLIENT), Duration.ofSeconds(1));
        assertThatThrownBy(() -> provider.verify(idp.sign(idp.claims(CLIENT, "s", "n").build())))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("names another issuer");
    }

    @Test
    void anUnknownProviderIsNotFound() {
        assertThatThrownBy(() -> sso.signIn("nope", "x", from)).isInstanceOf(AccountException.class)
                .satisfies(e -> assertThat(((AccountException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
}
