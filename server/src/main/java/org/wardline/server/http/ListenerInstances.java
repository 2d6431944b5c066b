package org.wardline.server.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * One listener served by several event loops: {@code instances} HTTP servers with the same options and router,
 * deployed as instances of one verticle so that each runs on its own event loop. Vert.x binds the port once and
 * hands each new connection to the next instance in turn; a connection then stays on its instance's loop.
 * Handlers of the router therefore run on several threads at once.
 */
public final class ListenerInstances {
    private static final java.util.concurrent.atomic.AtomicInteger RANDOM_SHARED_PORTS = new java.util.concurrent.atomic.AtomicInteger();

    private ListenerInstances() {
    }

    /** How many instances {@code configured} means: itself when positive, else one per core. */
    public static int count(int configured) {
        return configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Deploys the instances; {@code configure} sees each server before it listens (on that server's event loop).
     * Completes with the servers, the first deployed first.
     */
    public static Future<List<HttpServer>> deploy(Vertx vertx, Router router, HttpServerOptions options, int instances,
                                                  Consumer<HttpServer> configure) {
        List<Instance> started = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        HttpServerOptions shared = options;
        if (options.getPort() == 0 && instances > 1) {
            // Servers on port 0 each get a port of their own; servers on the same negative port share one random
            // port (Vert.x server sharing), so port 0 becomes a negative port no other listener of this JVM uses.
            shared = new HttpServerOptions(options).setPort(-RANDOM_SHARED_PORTS.incrementAndGet());
        }
        return deployInstances(vertx, router, shared, instances, configure, started, next);
    }

    private static Future<List<HttpServer>> deployInstances(Vertx vertx, Router router, HttpServerOptions options,
                                                           int instances, Consumer<HttpServer> configure,
                                                           List<Instance> started,
                                                           java.util.concurrent.atomic.AtomicInteger next) {
        return vertx.deployVerticle(() -> new Instance(next.getAndIncrement(), router, options, configure, started),
                        new DeploymentOptions().setInstances(instances))
                .map(id -> {
                    synchronized (started) {
                        return started.stream().sorted(Comparator.comparingInt(i -> i.index)).map(i -> i.server).toList();
                    }
                });
    }

    private static final class Instance extends VerticleBase {
        private final int index;
        private final Router router;
        private final HttpServerOptions options;
        private final Consumer<HttpServer> configure;
        private final List<Instance> started;
        private HttpServer server;

        Instance(int index, Router router, HttpServerOptions options, Consumer<HttpServer> configure, List<Instance> started) {
            this.index = index;
            this.router = router;
            this.options = options;
            this.configure = configure;
            this.started = started;
        }

        @Override
        public Future<?> start() {
            server = vertx.createHttpServer(new HttpServerOptions(options))
                    .requestHandler(request -> router.handle(HeadRequests.forRouter(request)));
            configure.accept(server);
            return server.listen().onSuccess(s -> started.add(this));
        }
    }
}
