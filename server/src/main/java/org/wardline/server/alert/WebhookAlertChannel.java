package org.wardline.server.alert;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import org.wardline.server.config.WardlineConfig;

import java.time.Clock;

/**
 * Alerts as a signed JSON POST to the configured HTTPS endpoint (see {@link WebhookSignature}); any answer
 * other than 2xx is a failed attempt. {@code Wardline-Alert-Id} stays the same across retries, so a receiver
 * can drop a duplicate.
 */
final class WebhookAlertChannel implements AlertChannel {
    private final HttpClient client;
    private final WardlineConfig.Webhook config;
    private final Clock clock;

    WebhookAlertChannel(Vertx vertx, WardlineConfig.Webhook config, Clock clock) {
        HttpClientOptions options = new HttpClientOptions().setConnectTimeout((int) config.timeout().toMillis())
                .setVerifyHost(true);
        if ("https".equals(config.url().getScheme())) {
            options.setSsl(true);
            if (config.trustCertificate() != null) {
                options.setTrustOptions(new PemTrustOptions().addCertPath(config.trustCertificate().toString()));
            }
        }
        this.client = vertx.createHttpClient(options);
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public Future<Void> deliver(AlertPayload payload) {
        String body = payload.toJson().put("sentAt", clock.instant().toString()).encode();
        long timestamp = clock.instant().getEpochSecond();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(config.url().toString())
                .setIdleTimeout(config.timeout().toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .putHeader(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(config.secret(), timestamp, body))
                .putHeader(WebhookSignature.ID_HEADER, payload.id().toString());
        return client.request(request).compose(req -> req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().compose(ignored -> resp.statusCode() / 100 == 2 ? Future.<Void>succeededFuture()
                        : Future.<Void>failedFuture(new IllegalStateException("webhook answered HTTP " + resp.statusCode()))));
    }
}
