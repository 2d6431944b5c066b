package org.wardline.server.sharelink;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.http.WardlineHttpException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Locale;

/**
 * The organisation's name, logo and contact line for the patient page ({@code branding.*} in the configuration),
 * served as {@code /share-assets/branding.json} and {@code /share-assets/logo}. The same for every link and public:
 * it says who runs the server, nothing about any patient. The logo is read once, at start.
 */
final class ShareBranding {
    private final Buffer json;
    private final Buffer logo;
    private final String logoType;

    private ShareBranding(Buffer json, Buffer logo, String logoType) {
        this.json = json;
        this.logo = logo;
        this.logoType = logoType;
    }

    static ShareBranding of(WardlineConfig.Branding branding) {
        Buffer logo = null;
        String type = null;
        if (branding.logo() != null) {
            try {
                logo = Buffer.buffer(Files.readAllBytes(branding.logo()));
            } catch (IOException e) {
                throw new UncheckedIOException("branding.logo cannot be read", e);
            }
            type = branding.logo().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png" : "image/jpeg";
        }
        JsonObject body = new JsonObject().put("organisation", branding.organisation()).put("contact", branding.contact())
                .put("logo", logo != null);
        return new ShareBranding(body.toBuffer(), logo, type);
    }

    void sendJson(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json").end(json);
    }

    void sendLogo(RoutingContext ctx) {
        if (logo == null) {
            throw new WardlineHttpException(ErrorCode.NOT_FOUND);
        }
        ctx.response().putHeader("Content-Type", logoType).putHeader("X-Content-Type-Options", "nosniff").end(logo);
    }
}
