package org.wardline.server.delivery;

import org.wardline.server.testing.WardlineCluster;

/**
 * Relay throughput of a cluster: {@link RelayBenchmark}'s workload with its devices spread round-robin over
 * {@code nodes} clustered nodes in one JVM (one embedded PostgreSQL), so most deliveries cross the clustered event
 * bus. Arguments: {@code nodes N M K window}. All nodes, PostgreSQL and the clients share this machine's cores:
 * the figure shows the cost of clustering, not the capacity of separate machines.
 */
public final class ClusterRelayBenchmark {
    private ClusterRelayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int conversations = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int perDevice = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int window = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        try (WardlineCluster cluster = WardlineCluster.start(nodes)) {
            System.out.printf("%d clustered node(s)%n", nodes);
            RelayBenchmark.run(cluster.running(), devices, conversations, perDevice, window);
        }
        System.exit(0);
    }
}
