package org.wardline.server.tls;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SSLEngineOptions;
import org.wardline.server.config.WardlineConfig;

import java.nio.file.Path;
import java.util.LinkedHashSet;

/**
 * Turns the TLS policy into Vert.x server options: TLS 1.3 and 1.2 only, ECDHE with AEAD suites for 1.2,
 * OpenSSL (BoringSSL through netty-tcnative) when it loads, the JDK engine otherwise. Netty's engines never
 * offer renegotiation or TLS compression.
 */
public final class TlsOptions {
    private TlsOptions() {
    }

    public static SSLEngineOptions engine(WardlineConfig.TlsEngine wanted) {
        return switch (wanted) {
            case JDK -> new JdkSSLEngineOptions();
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("tls.engine is openssl but netty-tcnative did not load on this platform");
                }
                yield new OpenSSLEngineOptions().setSessionCacheEnabled(true);
            }
            case AUTO -> OpenSsl.isAvailable() ? new OpenSSLEngineOptions().setSessionCacheEnabled(true) : new JdkSSLEngineOptions();
        };
    }

    public static String engineName(SSLEngineOptions engine) {
        return engine instanceof OpenSSLEngineOptions ? "openssl (" + OpenSsl.versionString() + ")" : "jdk";
    }

    /** Options for the public listener: server TLS only. */
    public static HttpServerOptions publicListener(WardlineConfig.Listener listener, WardlineConfig.Tls tls) {
        HttpServerOptions o = new HttpServerOptions()
                .setHost(listener.host())
                .setPort(listener.port())
                .setSsl(true)
                .setUseAlpn(true)
                .setKeyCertOptions(keyCert(tls.certificate(), tls.privateKey()))
                .setSslEngineOptions(engine(tls.engine()))
                .setEnabledSecureTransportProtocols(new LinkedHashSet<>(tls.protocols()))
                .setCompressionSupported(false)
                // Browser devices' messaging socket (ADR 0015s): the frame protocol's subprotocol, no compression.
                .setWebSocketSubProtocols(java.util.List.of(org.wardline.server.auth.dpop.WebSocketCredentials.PROTOCOL))
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setIdleTimeout(120);
        tls.cipherSuites().forEach(o::addEnabledCipherSuite);
        return o;
    }

    /**
     * Options for the device listener: mutual TLS, clients must present a certificate from Wardline's CA. No
     * WebSocket compression: frames carry MLS ciphertext, which does not compress, and a client that asked for
     * permessage-deflate would otherwise hold zlib state (hundreds of KiB) on the server for its whole connection.
     */
    public static HttpServerOptions deviceListener(WardlineConfig.Listener listener, WardlineConfig.Tls tls, Path caCertificate) {
        return publicListener(listener, tls)
                .setClientAuth(ClientAuth.REQUIRED)
                .setTrustOptions(new PemTrustOptions().addCertPath(caCertificate.toString()))
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false);
    }

    public static PemKeyCertOptions keyCert(Path certificate, Path privateKey) {
        return new PemKeyCertOptions().setCertPath(certificate.toString()).setKeyPath(privateKey.toString());
    }
}
