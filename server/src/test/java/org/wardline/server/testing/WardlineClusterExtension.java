package org.wardline.server.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.wardline.server.WardlineServer;

import java.util.List;

/** A {@link WardlineCluster} started before a test class and stopped after it. */
public final class WardlineClusterExtension implements BeforeAllCallback, AfterAllCallback {
    private final int size;
    private WardlineCluster cluster;

    public WardlineClusterExtension(int size) {
        this.size = size;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = WardlineCluster.start(size);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    /** Node {@code i} (0-based), or null once it was killed. */
    public WardlineServer node(int i) {
        return cluster.node(i);
    }

    public org.wardline.server.config.WardlineConfig.EventBusTls eventBusTls() {
        return cluster.eventBusTls();
    }

    public List<WardlineServer> running() {
        return cluster.running();
    }

    /** See {@link WardlineCluster#kill(int)}. */
    public void kill(int i) {
        cluster.kill(i);
    }

    public WardlineServer restart(int i) {
        return cluster.restart(i);
    }
}
