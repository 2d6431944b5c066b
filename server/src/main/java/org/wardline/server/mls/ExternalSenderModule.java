package org.wardline.server.mls;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.wardline.protocol.mls.ExternalSenderSigner;
import org.wardline.protocol.mls.MlsSuites;
import org.wardline.server.ApiModule;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.RouteRegistry;

import java.util.Base64;

/**
 * {@code GET /v1/mls/external-sender} on the device listener, and on the public listener for the web app's browser
 * devices: the server's MLS external-sender key (public), which clients put in every new group's
 * {@code external_senders} extension and pin (protocol/PROTOCOL.md).
 */
public final class ExternalSenderModule implements ApiModule {
    public static final String PATH = "/v1/mls/external-sender";

    private final String answer;

    public ExternalSenderModule(ExternalSenderSigner signer) {
        this.answer = new JsonObject().put("suite", (int) MlsSuites.DEFAULT_ID)
                .put("externalSender", Base64.getEncoder().encodeToString(signer.key().encoded()))
                .put("fingerprint", signer.key().fingerprint()).encode();
    }

    @Override
    public void mount(RouteRegistry routes) {
        for (RouteRegistry.Listener listener : RouteRegistry.Listener.values()) {
            routes.on(listener, HttpMethod.GET, PATH).permission(Permission.MESSAGE_READ)
                    .handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
                            .putHeader("Cache-Control", "no-store").end(answer));
        }
    }
}
