package org.wardline.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.bench.connections.ConnectionsBench;
import org.wardline.bench.dlp.DlpBench;
import org.wardline.bench.relay.RelayBench;
import org.wardline.bench.server.ChildServer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness counts what it says it counts, at a tiny size: one server under test (its own JVM, as in a real
 * run) for the relay and connection benchmarks, the DLP benchmark on a megabyte, and the JSON output parsed back.
 * No speed is asserted, only that the rates are positive.
 */
class BenchSmokeTest {
    @TempDir
    static Path work;
    static ChildServer server;
    static Progress progress;

    @BeforeAll
    static void startServer() throws Exception {
        progress = new Progress(new PrintStream(OutputStreamSink.INSTANCE, true, StandardCharsets.UTF_8), false);
        server = ChildServer.start(work, ChildServer.WITHOUT_CLAMD, "512m");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
        progress.close();
    }

    @Test
    void relayRecordsEveryDeliveryOnceAndTheJsonSaysSo() throws Exception {
        RelayBench.Options options = new RelayBench.Options(4, 2, 3, 2, 1024);
        BenchResult relay = new RelayBench(options, progress).run(server);

        long sent = 4 * 3;
        long recipients = options.groupSize() - 1;
        assertThat(relay.value("messagesSent")).isEqualTo(sent);
        assertThat(relay.value("messagesAccepted")).isEqualTo(sent);
        assertThat(relay.value("messagesRefused")).isZero();
        assertThat(relay.value("messagesLost")).isZero();
        assertThat(relay.value("deliveriesOfRefused")).isZero();
        assertThat(relay.value("redeliveries")).isZero();
        assertThat(relay.value("deliveriesExpected")).isEqualTo(sent * recipients);
        assertThat(relay.value("deliveries")).isEqualTo(sent * recipients);
        assertThat(relay.value("latencySamples")).isEqualTo(relay.value("deliveries"));
        assertThat(relay.value("messagesFullyDelivered")).isEqualTo(sent);
        assertThat(relay.value("acceptedPerSecond")).isPositive();
        assertThat(relay.value("deliveriesPerSecond")).isPositive();
        assertThat(relay.value("latencyP50Ms")).isPositive()
                .isLessThanOrEqualTo(relay.value("latencyP99Ms"));
        assertThat(relay.value("latencyP99Ms")).isLessThanOrEqualTo(relay.value("latencyMaxMs"));
        assertThat(relay.targets()).isNotEmpty();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BenchCommand.print(new PrintStream(out, true, StandardCharsets.UTF_8), List.of(relay), true);
        JsonObject json = new JsonObject(out.toString(StandardCharsets.UTF_8));
        JsonObject parsed = json.getJsonArray("results").getJsonObject(0);
        assertThat(parsed.getString("bench")).isEqualTo("relay");
        assertThat(parsed.getJsonObject("figures").getDouble("latencySamples")).isEqualTo(sent * recipients);
        assertThat(parsed.getJsonObject("figures").getDouble("acceptedPerSecond")).isEqualTo(relay.value("acceptedPerSecond"));
        assertThat(parsed.getJsonObject("units").getString("latencyP99Ms")).isEqualTo("ms");
        assertThat(parsed.getJsonArray("targets").getJsonObject(0).getBoolean("met")).isNotNull();
        assertThat(json.getString("machine")).contains("cores");
    }

    /**
     * Two devices each send a burst far beyond the listener's per-connection frame limit (a bucket of 100 frames,
     * at most 64 requests in flight): the refusals are counted under their protocol code, apart from lost sends,
     * and every send is accounted for exactly once; no refused message is delivered, every accepted one is.
     */
    @Test
    void aBurstBeyondTheFrameLimitIsCountedAsRefusedByCodeNotLost() throws Exception {
        RelayBench.Options options = new RelayBench.Options(2, 1, 300, 300, 64);
        BenchResult relay = new RelayBench(options, progress).run(server);

        double refused = relay.value("refused.request.rate_limited");
        assertThat(refused).isPositive();
        assertThat(relay.value("messagesRefused")).isEqualTo(refused);
        assertThat(relay.value("messagesLost")).isZero();
        assertThat(relay.value("messagesAccepted") + refused).isEqualTo(600);
        assertThat(relay.value("deliveries")).isEqualTo(relay.value("messagesAccepted"));
        assertThat(relay.value("deliveriesOfRefused")).isZero();
        assertThat(relay.value("clientCpuSeconds")).isPositive();
        assertThat(relay.value("serverCpuSeconds")).isPositive();
        assertThat(relay.value("serverChildCpuSeconds")).as("PostgreSQL stored 600 messages").isPositive();
        assertThat(relay.targets()).anyMatch(t -> t.description().equals("no message refused or lost") && !t.met());

        ByteArrayOutputStream table = new ByteArrayOutputStream();
        BenchCommand.print(new PrintStream(table, true, StandardCharsets.UTF_8), List.of(relay), false);
        assertThat(table.toString(StandardCharsets.UTF_8)).contains("refused: request.rate_limited", "messages lost");
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        BenchCommand.print(new PrintStream(json, true, StandardCharsets.UTF_8), List.of(relay), true);
        JsonObject figures = new JsonObject(json.toString(StandardCharsets.UTF_8)).getJsonArray("results").getJsonObject(0)
                .getJsonObject("figures");
        assertThat(figures.getDouble("refused.request.rate_limited")).isEqualTo(refused);
        assertThat(figures.getDouble("messagesLost")).isZero();
    }

    @Test
    void connectionsAreAllOpenWhenTheServerIsMeasured() throws Exception {
        BenchResult connections = new ConnectionsBench(12, 2, 4, progress).run(server);

        assertThat(connections.value("connectionsOpened")).isEqualTo(12);
        assertThat(connections.value("connectionsOpen")).isEqualTo(12);
        assertThat(connections.value("openedPerSecond")).isPositive();
        assertThat(connections.value("serverRssAfterMiB")).isPositive();
    }

    @Test
    void dlpScansTextAndPdfs() throws Exception {
        BenchResult dlp = new DlpBench(200_000, 2, 20_000, 1, progress).run();

        assertThat(dlp.value("textMBpsPerCore")).isPositive();
        assertThat(dlp.value("textFindings")).isPositive();
        assertThat(dlp.value("pdfMBpsPerCore")).isPositive();
        assertThat(dlp.value("pdfTextMBpsPerCore")).isPositive();

        ByteArrayOutputStream table = new ByteArrayOutputStream();
        BenchCommand.print(new PrintStream(table, true, StandardCharsets.UTF_8), List.of(dlp), false);
        assertThat(table.toString(StandardCharsets.UTF_8)).contains("== dlp ==", "plain text, per core", "target: >= 20 MB/s/core");
    }

    /** Discards the progress line in tests. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }
    }
}
