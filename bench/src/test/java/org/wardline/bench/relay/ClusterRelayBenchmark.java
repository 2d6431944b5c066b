package org.wardline.bench.relay;

import org.wardline.bench.BenchResult;
import org.wardline.bench.Progress;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.protocol.Secret;
import org.wardline.server.WardlineServer;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineCluster;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Relay throughput of a cluster: {@code wardline bench relay}'s generator ({@link RelayBench}) with its devices
 * enrolled round-robin on {@code nodes} clustered nodes in this JVM (one embedded PostgreSQL), so most deliveries
 * cross the clustered event bus. Every device's user is in the first node's care team, so the membership policy
 * lets them meet. Arguments: {@code nodes devices conversations messages window}. Nodes, PostgreSQL and the
 * clients share this machine's cores, so the figure shows the cost of clustering, not separate machines'
 * capacity; the server's CPU cannot be told apart from the generator's here.
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
        try (WardlineCluster cluster = WardlineCluster.start(nodes);
             Progress progress = Progress.onStderr()) {
            List<WardlineServer> running = cluster.running();
            AtomicInteger next = new AtomicInteger();
            Object enrolling = new Object();
            RelayBench.DeviceSource roundRobin = () -> {
                WardlineServer node = running.get(Math.floorMod(next.getAndIncrement(), running.size()));
                synchronized (enrolling) { // the fixtures were written for one test thread
                    return credentials(node, CareTeams.teamMate(running.get(0)));
                }
            };
            BenchResult result = new RelayBench(new RelayBench.Options(devices, conversations, perDevice, window, 1024), progress)
                    .run(roundRobin, RelayBench.ServerCpu.UNKNOWN);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            out.printf("%d clustered node(s)%n", nodes);
            result.printTable(out);
        }
        System.exit(0);
    }

    private static DeviceCredentials credentials(WardlineServer node, UUID user) throws Exception {
        DeviceIdentity identity = EnrolledDevices.enroll(node, user).identity();
        Path file = Files.createTempDirectory("wardline-device-").resolve("device.p12");
        char[] pass = "device-pass".toCharArray();
        identity.save(file, Secret.of(new String(pass)));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, pass);
        }
        return DeviceCredentials.fromKeyStore(ks, pass, node.certificateAuthority().rootCertificate(),
                URI.create("https://127.0.0.1:" + node.devicePort())).withBearer(identity::accessToken);
    }
}
