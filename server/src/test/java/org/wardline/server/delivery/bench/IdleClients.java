package org.wardline.server.delivery.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The client side of {@link IdleConnectionBench}, in a JVM of its own so that the server's figures hold no client
 * memory: opens {@code count} mutual-TLS WebSockets to the device listener, says HELLO on each, waits for the OK,
 * prints {@code ready <count>} and keeps them open until its standard input closes.
 *
 * <p>Arguments: {@code host port device.p12 passphrase root-ca.pem count [deflate]}; {@code deflate} asks for
 * permessage-deflate, as any client may.
 */
public final class IdleClients {
    /** The device session's access token (the upgrade needs it), passed in the environment, not the command line. */
    static final String TOKEN_VARIABLE = "WARDLINE_BENCH_ACCESS_TOKEN";
    private IdleClients() {
    }

    /** One connection that said HELLO and got its answer; retried, since the listener refuses connections until its
     * revocation list is loaded. */
    private static Future<WebSocket> connect(Vertx vertx, WebSocketClient client, String host, int port, byte[] hello,
                                             int attempts) {
        return client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/v1/ws")
                        .addHeader("Authorization", "Bearer " + System.getenv(TOKEN_VARIABLE)))
                .compose(ws -> {
                    var answered = io.vertx.core.Promise.<WebSocket>promise();
                    ws.binaryMessageHandler(b -> answered.tryComplete(ws));
                    ws.writeBinaryMessage(Buffer.buffer(hello));
                    return answered.future();
                })
                .recover(e -> {
                    if (attempts <= 1) {
                        return Future.failedFuture(e);
                    }
                    var retry = io.vertx.core.Promise.<WebSocket>promise();
                    vertx.setTimer(1000, id -> connect(vertx, client, host, port, hello, attempts - 1).onComplete(retry));
                    return retry.future();
                });
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[5]);
        boolean deflate = args.length > 6 && "deflate".equals(args[6]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setSsl(true)
                .setSslEngineOptions(new OpenSSLEngineOptions())
                .setKeyCertOptions(new PfxOptions().setPath(args[2]).setPassword(args[3]))
                .setTrustOptions(new PemTrustOptions().addCertPath(args[4]))
                .setVerifyHost(false)
                .setMaxConnections(count + 1)
                .setConnectTimeout(60_000)
                .setTryUsePerMessageCompression(deflate));
        byte[] hello = FrameCodec.encode(Frame.of(FrameType.HELLO, 1));
        List<WebSocket> open = new ArrayList<>();
        int batch = 50;
        for (int i = 0; i < count; i += batch) {
            List<Future<WebSocket>> round = new ArrayList<>();
            for (int j = i; j < Math.min(count, i + batch); j++) {
                round.add(connect(vertx, client, host, port, hello, 5));
            }
            open.addAll(Future.all(round).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS)
                    .<WebSocket>list());
        }
        System.out.println("ready " + open.size());
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
            while (in.readLine() != null) {
                // wait for the parent to close our input
            }
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.exit(0);
    }
}
