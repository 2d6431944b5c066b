package org.wardline.server.testing;

import org.wardline.embedded.FreePorts;
import org.wardline.server.WardlineServer;
import org.wardline.server.config.ConfigLoader;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.dev.DevEnvironment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A cluster whose nodes run in separate JVMs on loopback, for faults a node in the test's own JVM cannot show
 * (kill -9 of a process): node 0 runs in this JVM (it creates the keys, enrolls the tests' devices and survives),
 * nodes 1.. are {@link NodeProcess}es. All share one embedded PostgreSQL, s3proxy, clamd and data directory (one
 * CA, one set of keys, as production shares them), the same public URL (one token issuer) and one event-bus
 * certificate from a private cluster CA. A shutdown hook kills the child JVMs should this JVM end without
 * {@link #close()}.
 */
public final class ProcessCluster implements AutoCloseable {
    private static final WardlineConfig.Listener ANY_PORT = new WardlineConfig.Listener("127.0.0.1", 0);

    private final List<NodeProcess> children = new ArrayList<>();
    private final Thread killChildren = new Thread(() -> children.forEach(NodeProcess::close), "kill-child-nodes");
    private DevEnvironment dev;
    private WardlineServer local;
    private Path dataDir;

    private ProcessCluster() {
    }

    /** Starts the services, node 0 here, then {@code childCount} child JVMs together, and waits until all are ready. */
    public static ProcessCluster start(int childCount, Duration readyWithin) throws InterruptedException {
        ProcessCluster cluster = new ProcessCluster();
        try {
            cluster.startNodes(childCount, readyWithin);
            return cluster;
        } catch (RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
    }

    private void startNodes(int childCount, Duration readyWithin) throws InterruptedException {
        try {
            dataDir = Files.createTempDirectory("wardline-processes-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(killChildren);
        dev = DevEnvironment.start(dataDir, new DevEnvironment.Ports(0, 0, 0), Map.of());
        WardlineConfig.EventBusTls tls = ClusterCertificates.create(dataDir);
        String name = "wardline-processes-" + UUID.randomUUID().toString().substring(0, 8);
        List<Integer> memberPorts = new ArrayList<>();
        for (int i = 0; i <= childCount; i++) {
            memberPorts.add(FreePorts.pick());
        }
        List<String> members = memberPorts.stream().map(p -> "127.0.0.1:" + p).toList();

        local = WardlineServer.start(dev.config().forNode(ANY_PORT, ANY_PORT, ANY_PORT, new WardlineConfig.Cluster(true,
                name, "127.0.0.1", memberPorts.get(0), FreePorts.pick(), "127.0.0.1", members, 0, tls)));
        for (int i = 1; i <= childCount; i++) {
            int devicePort = FreePorts.pick();
            int opsPort = FreePorts.pick();
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("server", Map.of(
                    "public", Map.of("host", "127.0.0.1", "port", FreePorts.pick()),
                    "device", Map.of("host", "127.0.0.1", "port", devicePort),
                    "ops", Map.of("host", "127.0.0.1", "port", opsPort)));
            node.put("cluster", Map.of("enabled", true, "name", name, "host", "127.0.0.1", "port", memberPorts.get(i),
                    "eventBusPort", FreePorts.pick(), "publicHost", "127.0.0.1", "members", members,
                    "joinWaitSeconds", 0, "tls", Map.of("certificate", tls.certificate().toString(),
                            "privateKey", tls.privateKey().toString(), "trust", tls.trust().toString())));
            children.add(NodeProcess.start(dataDir, "node-" + i, ConfigLoader.merge(dev.configTree(), node),
                    devicePort, opsPort));
        }
        for (NodeProcess child : children) {
            child.awaitReady(readyWithin);
        }
    }

    /** The data directory every node shares (PostgreSQL, s3proxy's files under {@code s3/}, keys, the CA). */
    public Path dataDir() {
        return dataDir;
    }

    /** Node 0, in this JVM. */
    public WardlineServer local() {
        return local;
    }

    /** Child node {@code i} (1-based, as the nodes are numbered). */
    public NodeProcess child(int i) {
        return children.get(i - 1);
    }

    /** Starts child node {@code i} again after it was killed, and waits until it is ready. */
    public NodeProcess restart(int i, Duration readyWithin) throws InterruptedException {
        NodeProcess again = child(i).again();
        children.set(i - 1, again);
        again.awaitReady(readyWithin);
        return again;
    }

    @Override
    public void close() {
        children.forEach(NodeProcess::close);
        if (local != null) {
            local.close();
            local = null;
        }
        if (dev != null) {
            dev.close();
            dev = null;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killChildren);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down already, or never added
        }
    }
}
