package org.wardline.server.testing;

import com.hazelcast.core.HazelcastInstance;
import org.wardline.embedded.FreePorts;
import org.wardline.server.WardlineServer;
import org.wardline.server.cluster.ClusterNode;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.dev.DevEnvironment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Several clustered Wardline nodes (separate clustered Vert.x instances, each with its own listeners on free
 * loopback ports and its own Hazelcast member and event-bus port) sharing one embedded PostgreSQL, one s3proxy,
 * one clamd and one data directory (so one CA, one set of auth, audit and storage keys, as production shares them).
 */
public final class WardlineCluster implements AutoCloseable {
    private static final WardlineConfig.Listener ANY_PORT = new WardlineConfig.Listener("127.0.0.1", 0);

    private final List<WardlineServer> nodes = new ArrayList<>();
    private final List<WardlineConfig> configs = new ArrayList<>();
    private WardlineConfig.EventBusTls eventBusTls;
    private DevEnvironment dev;

    private WardlineCluster() {
    }

    /** Starts the embedded services and {@code size} nodes: the first alone (it creates the keys), the others together. */
    public static WardlineCluster start(int size) {
        WardlineCluster cluster = new WardlineCluster();
        try {
            cluster.startNodes(size);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startNodes(int size) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("wardline-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dev = DevEnvironment.start(dataDir, new DevEnvironment.Ports(0, 0, 0), Map.of());
        List<Integer> memberPorts = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int port = FreePorts.pick();
            memberPorts.add(port);
            members.add("127.0.0.1:" + port);
        }
        WardlineConfig.EventBusTls tls = ClusterCertificates.create(dataDir);
        eventBusTls = tls;
        String name = "wardline-test-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < size; i++) {
            configs.add(dev.config().forNode(ANY_PORT, ANY_PORT, ANY_PORT, new WardlineConfig.Cluster(true, name,
                    "127.0.0.1", memberPorts.get(i), FreePorts.pick(), "127.0.0.1", members, 0, tls)));
        }
        nodes.add(WardlineServer.start(configs.get(0)));
        List<java.util.concurrent.CompletableFuture<WardlineServer>> others = configs.subList(1, size).stream()
                .map(c -> java.util.concurrent.CompletableFuture.supplyAsync(() -> WardlineServer.start(c))).toList();
        for (var other : others) {
            nodes.add(other.join());
        }
    }

    /** The nodes' event-bus certificate and the private cluster CA that issued it. */
    public WardlineConfig.EventBusTls eventBusTls() {
        return eventBusTls;
    }

    /** Node {@code i} (0-based), or null once it was killed. */
    public WardlineServer node(int i) {
        return nodes.get(i);
    }

    /** The nodes still running. */
    public List<WardlineServer> running() {
        return nodes.stream().filter(java.util.Objects::nonNull).toList();
    }

    /**
     * Kills node {@code i} as a crash would: its Hazelcast member is terminated without leaving the cluster
     * (the others find out by the dropped connections), then its listeners and connections go down at once,
     * without the grace period of a clean stop.
     */
    public void kill(int i) {
        WardlineServer node = nodes.set(i, null);
        HazelcastInstance hz = ClusterNode.hazelcastOf(node.vertx());
        if (hz != null) {
            hz.getLifecycleService().terminate();
        }
        try {
            node.vertx().close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a member that lost its cluster manager may fail to leave cleanly; its sockets are closed all the same
        }
        node.database().close();
    }

    /** Starts node {@code i} again (a rolling restart's second half), with its previous settings. */
    public WardlineServer restart(int i) {
        if (nodes.get(i) != null) {
            nodes.get(i).close();
        }
        WardlineServer node = WardlineServer.start(configs.get(i));
        nodes.set(i, node);
        return node;
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (nodes.get(i) != null) {
                nodes.get(i).close();
                nodes.set(i, null);
            }
        }
        if (dev != null) {
            dev.close();
            dev = null;
        }
    }
}
