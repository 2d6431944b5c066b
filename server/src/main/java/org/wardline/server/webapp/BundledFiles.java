package org.wardline.server.webapp;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A browser page's bundled files (esbuild output the build puts in the jar), read once from the classpath and served
 * under {@link WebAppRoutes#CSP}, never cached without revalidation. A file missing from the classpath stops the
 * server at start, naming the file and the command that builds it.
 */
final class BundledFiles {
    private final Map<String, String> types;
    private final Map<String, Buffer> files;

    /**
     * @param prefix the files' resource path relative to this package ("" or "console/")
     * @param types each file's name and Content-Type
     * @param source the web client folder that builds them, for the message when one is missing
     */
    BundledFiles(String prefix, Map<String, String> types, String source) {
        Map<String, Buffer> loaded = new HashMap<>();
        for (String name : types.keySet()) {
            try (InputStream in = BundledFiles.class.getResourceAsStream(prefix + name)) {
                if (in == null) {
                    throw new IllegalStateException("the file " + name + " of " + source + " is missing from the classpath "
                            + "(the build bundles " + source + " with npm: run ./wardline build)");
                }
                loaded.put(name, Buffer.buffer(in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        this.types = Map.copyOf(types);
        this.files = Map.copyOf(loaded);
    }

    void send(RoutingContext ctx, String name) {
        ctx.response().headers().set("Content-Type", types.get(name)).set("Content-Security-Policy", WebAppRoutes.CSP)
                .set("Cache-Control", "no-cache");
        ctx.response().end(files.get(name));
    }
}
