package org.wardline.server.testing;

import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
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
public final class WardlineClusterExtension implements BeforeAllCallback, AfterAllCallback {
    private static final WardlineConfig.Listener ANY_PORT = new WardlineConfig.Listener("127.0.0.1", 0);

    private final int size;
    private final List<WardlineServer> nodes = new ArrayList<>();
    private final List<WardlineConfig> configs = new ArrayList<>();
    private DevEnvironment dev;

    public WardlineClusterExtension(int size) {
        this.size = size;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
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
        String name = "wardline-test-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < size; i++) {
            configs.add(dev.config().forNode(ANY_PORT, ANY_PORT, ANY_PORT, new WardlineConfig.Cluster(true, name,
                    "127.0.0.1", memberPorts.get(i), FreePorts.pick(), "127.0.0.1", members, 0)));
        }
        try {
            for (WardlineConfig config : configs) {
                nodes.add(WardlineServer.start(config));
            }
        } catch (RuntimeException e) {
            afterAll(context);
            throw e;
        }
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
    public void afterAll(ExtensionContext context) {
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
