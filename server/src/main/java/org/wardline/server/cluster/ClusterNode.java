package org.wardline.server.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.health.DependencyCheck;
import org.wardline.server.tls.TlsOptions;

import java.util.LinkedHashSet;

/**
 * Joins this node's Vert.x to the others' through Hazelcast, so that one event bus spans every node: a message
 * published at a device's address reaches whichever node holds that device's connection, and an announcement
 * (revocation) reaches every node. Members are found only through the configured TCP-IP list; multicast,
 * auto-detection and Hazelcast's phone-home are off, and both Hazelcast and the event bus bind to the
 * configured interface only. The event bus speaks mutual TLS (node certificates from a private CA); Hazelcast's
 * own traffic (membership, which node holds which address) is plain TCP and belongs on a private network.
 */
public final class ClusterNode {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** Vert.x's own structures; the same settings as vertx-hazelcast's default-cluster.xml. */
    private static final String SUBSCRIPTIONS = "__vertx.subs";
    private static final String HA_INFO = "__vertx.haInfo";
    private static final String NODE_INFO = "__vertx.nodeInfo";
    /** A member that stops answering is dropped after this long (Hazelcast's default, 60 s, keeps dead subscriptions too long). */
    static final int HEARTBEAT_TIMEOUT_SECONDS = 15;

    private ClusterNode() {
    }

    /** Starts a clustered Vert.x with these options; completes once this node has joined (or formed) the cluster. */
    public static Future<Vertx> start(VertxOptions options, WardlineConfig.Cluster cluster, WardlineConfig.Tls serverTls) {
        options.setEventBusOptions(eventBus(cluster, serverTls));
        return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcast(cluster)))
                .buildClustered();
    }

    static EventBusOptions eventBus(WardlineConfig.Cluster cluster, WardlineConfig.Tls serverTls) {
        EventBusOptions options = new EventBusOptions().setHost(cluster.host()).setPort(cluster.eventBusPort())
                .setClusterPublicHost(cluster.publicHost()).setClusterPublicPort(cluster.eventBusPort());
        WardlineConfig.EventBusTls tls = cluster.tls();
        if (!tls.enabled()) {
            LOG.warn("the cluster's event bus is NOT encrypted (cluster.tls.enabled: false): keep its port on a network only the nodes reach");
            return options;
        }
        return options.setSsl(true)
                .setKeyCertOptions(TlsOptions.keyCert(tls.certificate(), tls.privateKey()))
                .setTrustOptions(new PemTrustOptions().addCertPath(tls.trust().toString()))
                .setClientAuth(ClientAuth.REQUIRED)
                .setSslEngineOptions(TlsOptions.engine(serverTls.engine()))
                .setEnabledSecureTransportProtocols(new LinkedHashSet<>(serverTls.protocols()));
    }

    static Config hazelcast(WardlineConfig.Cluster cluster) {
        Config config = new Config();
        config.setClusterName(cluster.name());
        config.setInstanceName("wardline-" + cluster.publicHost() + "-" + cluster.port());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", Integer.toString(cluster.joinWaitSeconds()));
        config.setProperty("hazelcast.max.wait.seconds.before.join", Integer.toString(cluster.joinWaitSeconds() * 4));
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(HEARTBEAT_TIMEOUT_SECONDS));
        config.getJetConfig().setEnabled(false);

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(cluster.port()).setPortAutoIncrement(false);
        network.setPublicAddress(cluster.publicHost() + ":" + cluster.port());
        network.getInterfaces().setEnabled(true).addInterface(cluster.host());
        network.getRestApiConfig().setEnabled(false);
        network.getMemcacheProtocolConfig().setEnabled(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());

        config.addMultiMapConfig(new MultiMapConfig(SUBSCRIPTIONS).setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.addMapConfig(new MapConfig(HA_INFO).setBackupCount(1));
        config.addMapConfig(new MapConfig(NODE_INFO).setBackupCount(1));
        return config;
    }

    /** The Hazelcast member under a clustered Vert.x, or null for a single node. */
    public static HazelcastInstance hazelcastOf(Vertx vertx) {
        return vertx instanceof io.vertx.core.internal.VertxInternal internal
                && internal.clusterManager() instanceof HazelcastClusterManager hz ? hz.getHazelcastInstance() : null;
    }

    /** Ready while this node is a running member of the cluster; the answer names how many members it sees. */
    public static DependencyCheck healthCheck(Vertx vertx) {
        return new DependencyCheck("cluster", () -> {
            HazelcastInstance hz = hazelcastOf(vertx);
            if (hz == null || !hz.getLifecycleService().isRunning()) {
                return Future.failedFuture(new IllegalStateException("not a running cluster member"));
            }
            return Future.succeededFuture(hz.getCluster().getMembers().size());
        });
    }
}
