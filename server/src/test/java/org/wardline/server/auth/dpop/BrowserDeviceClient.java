package org.wardline.server.auth.dpop;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import io.vertx.core.json.JsonObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.wardline.server.WardlineServer;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.TlsClients;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;

/**
 * What the web app does, in Java: an ECDSA P-256 key (the browser's non-extractable WebCrypto key), a CSR for it,
 * and a fresh DPoP proof from that key on every request to the public listener.
 */
final class BrowserDeviceClient {
    final KeyPair keys;
    final ECKey jwk;
    private final DefaultDPoPProofFactory proofs;
    private final HttpClient http;
    private final int port;
    String accessToken;
    String refreshToken;
    String lastProof;

    BrowserDeviceClient(WardlineServer server) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        this.keys = g.generateKeyPair();
        this.jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) keys.getPublic()).privateKey((ECPrivateKey) keys.getPrivate()).build();
        this.proofs = new DefaultDPoPProofFactory(jwk, JWSAlgorithm.ES256);
        this.port = server.publicPort();
        this.http = HttpClient.newBuilder().sslContext(TlsClients.context(server.certificateAuthority().rootCertificate(), null))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    String csr() throws Exception {
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=browser"), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(request.getEncoded())
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    URI url(String path) {
        return URI.create("https://127.0.0.1:" + port + path);
    }

    /** A new proof for {@code method path}, bound to {@code token} when it is not null. */
    String proof(String method, String path, String token) throws Exception {
        return (token == null ? proofs.createDPoPJWT(method, url(path))
                : proofs.createDPoPJWT(method, url(path), new DPoPAccessToken(token))).serialize();
    }

    /** The request as the app sends it: {@code Authorization: DPoP <token>} when signed in, and a fresh proof. */
    WardlineApi.Reply call(String method, String path, JsonObject body) throws Exception {
        lastProof = proof(method, path, accessToken);
        return send(method, path, lastProof, accessToken == null ? null : "DPoP " + accessToken, body);
    }

    /** Exactly these headers (either may be null): for tampered, replayed and missing proofs. */
    WardlineApi.Reply send(String method, String path, String proof, String authorization, JsonObject body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (proof != null) {
            b.header("DPoP", proof);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new WardlineApi.Reply(r.statusCode(), r.body() == null || r.body().isBlank() ? null : new JsonObject(r.body()));
    }

    /**
     * A request with a byte body and extra headers, exactly these credentials (either may be null), as the web app
     * sends a file; the answer's bytes (a download) whatever its status.
     */
    HttpResponse<byte[]> sendBytes(String method, String path, String proof, String authorization,
                                   java.util.Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        if (proof != null) {
            b.header("DPoP", proof);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The messaging socket's address on the public listener, as the web app names it in its proof. */
    URI socketUrl() {
        return URI.create("wss://127.0.0.1:" + port + "/v1/ws");
    }

    /**
     * Opens the messaging socket on the public listener as the web app does: subprotocols {@code wardline.v1}, the
     * token and {@code proof} (or a fresh proof for GET on the {@code wss} address when it is null).
     */
    java.util.concurrent.CompletableFuture<java.net.http.WebSocket> openSocket(String proof, java.net.http.WebSocket.Listener listener)
            throws Exception {
        lastProof = proof != null ? proof : proofs.createDPoPJWT("GET", socketUrl(), new DPoPAccessToken(accessToken)).serialize();
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .subprotocols(WebSocketCredentials.PROTOCOL, WebSocketCredentials.PROOF_PREFIX + lastProof,
                        WebSocketCredentials.TOKEN_PREFIX + accessToken)
                .buildAsync(socketUrl(), listener);
    }

    /** A proof for the socket from this key, for {@code url} (another address or scheme) and the current token. */
    String socketProof(URI url) throws Exception {
        return proofs.createDPoPJWT("GET", url, new DPoPAccessToken(accessToken)).serialize();
    }

    /** Password and TOTP, each step with a proof; keeps the DPoP-bound tokens. */
    WardlineApi.Reply signIn(WardlineApi.Account account) throws Exception {
        WardlineApi.Reply login = call("POST", "/v1/auth/login", new JsonObject().put("username", account.username)
                .put("password", WardlineApi.PASSWORD));
        if (login.status() != 200 || !"mfa_required".equals(login.json().getString("status"))) {
            return login;
        }
        WardlineApi.Reply mfa = call("POST", "/v1/auth/mfa", new JsonObject()
                .put("pendingToken", login.json().getString("pendingToken")).put("code", account.nextCode()));
        if (mfa.status() == 200) {
            accessToken = mfa.json().getString("accessToken");
            refreshToken = mfa.json().getString("refreshToken");
        }
        return mfa;
    }
}
