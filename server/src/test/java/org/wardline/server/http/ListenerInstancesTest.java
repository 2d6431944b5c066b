package org.wardline.server.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One listener on several event loops: the instances share one port and new connections go to each in turn. */
class ListenerInstancesTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void instancesShareOnePortAndServeConnectionsOnTheirOwnEventLoops() throws Exception {
        Router router = Router.router(vertx);
        router.get("/thread").handler(ctx -> ctx.response().end(Thread.currentThread().getName()));
        Set<HttpServer> configured = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<HttpServer> servers = ListenerInstances.deploy(vertx, router, new HttpServerOptions().setHost("127.0.0.1").setPort(0),
                2, configured::add).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(servers).hasSize(2);
        assertThat(configured).containsExactlyInAnyOrderElementsOf(servers);
        int port = servers.get(0).actualPort();
        assertThat(port).isPositive();
        assertThat(servers.get(1).actualPort()).as("port 0 picks one port for every instance").isEqualTo(port);

        Set<String> threads = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            var client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
            threads.add(client.request(HttpMethod.GET, port, "127.0.0.1", "/thread")
                    .compose(req -> req.send().compose(resp -> resp.body()))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString());
            client.close();
        }
        assertThat(threads).as("connections served on two event loops").hasSize(2)
                .allMatch(t -> t.startsWith("vert.x-eventloop-thread-"));
    }

    @Test
    void zeroMeansOnePerCore() {
        assertThat(ListenerInstances.count(3)).isEqualTo(3);
        assertThat(ListenerInstances.count(0)).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
}
