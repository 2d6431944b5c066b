package org.wardline.server.alert;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTPS endpoint (its own self-signed certificate for localhost) that records every POST and can fail on demand. */
final class WebhookReceiver implements AutoCloseable {
    /** One request as received. */
    record Received(String timestamp, String signature, String alertId, String body, int answeredWith) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final HttpServer server;

    WebhookReceiver() throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()))
                .requestHandler(req -> req.body().onSuccess(body -> {
                    int status = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 204;
                    received.add(new Received(req.getHeader(WebhookSignature.TIMESTAMP_HEADER),
                            req.getHeader(WebhookSignature.SIGNATURE_HEADER), req.getHeader(WebhookSignature.ID_HEADER),
                            body.toString(), status));
                    req.response().setStatusCode(status).end();
                }));
        server.listen(0, "localhost").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    String url() {
        return "https://localhost:" + server.actualPort() + "/hooks/wardline";
    }

    String certificatePath() {
        return certificate.certificatePath();
    }

    /** The next {@code n} requests are answered 503. */
    void failNext(int n) {
        failuresLeft.set(n);
    }

    Received next(long seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    void clear() {
        received.clear();
        failuresLeft.set(0);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
