package org.wardline.server.webapp;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.wardline.server.ApiModule;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.RouteRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The security officer's web console (clients/web/console, bundled by esbuild into the jar) on the public listener
 * under {@code /console/}, under the web app's policy ({@link WebAppRoutes#CSP}). The page holds no data of its
 * own: it signs in as this browser's device and calls the same {@code /v1/admin} routes as the CLI (ADR 0016c).
 */
public final class ConsoleRoutes implements ApiModule {
    public static final String BASE = "/console/";
    private static final Map<String, String> TYPES = Map.of("index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8", "console.css", "text/css; charset=utf-8");

    private final Map<String, Buffer> files;

    public ConsoleRoutes() {
        Map<String, Buffer> loaded = new HashMap<>();
        for (String name : TYPES.keySet()) {
            try (InputStream in = ConsoleRoutes.class.getResourceAsStream("console/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the console file " + name + " is missing from the classpath "
                            + "(the build bundles clients/web/console with npm: run ./wardline build)");
                }
                loaded.put(name, Buffer.buffer(in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        this.files = Map.copyOf(loaded);
    }

    @Override
    public void mount(RouteRegistry routes) {
        RouteRegistry.Listener pub = RouteRegistry.Listener.PUBLIC;
        routes.on(pub, HttpMethod.GET, BASE).permission(Permission.PUBLIC).handler(ctx -> send(ctx, "index.html"));
        routes.on(pub, HttpMethod.GET, BASE + "console.js").permission(Permission.PUBLIC).handler(ctx -> send(ctx, "console.js"));
        routes.on(pub, HttpMethod.GET, BASE + "console.css").permission(Permission.PUBLIC).handler(ctx -> send(ctx, "console.css"));
    }

    private void send(RoutingContext ctx, String name) {
        ctx.response().headers().set("Content-Type", TYPES.get(name)).set("Content-Security-Policy", WebAppRoutes.CSP)
                .set("Cache-Control", "no-cache");
        ctx.response().end(files.get(name));
    }
}
