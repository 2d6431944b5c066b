package org.wardline.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.wardline.dlp.bench.DlpThroughputBench;
import org.wardline.dlp.bench.HostileText;
import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiScanner;

import java.util.List;
import java.util.Random;

/**
 * Every built-in DLP detector plus overlap resolution over 64 KB of synthetic nursing notes, and over 64 KB of
 * text made to be slow to scan ({@link HostileText}).
 */
@State(Scope.Thread)
public class DlpScannerBenchmark {
    private String text;
    private String hostile;
    private PhiScanner scanner;

    @Setup
    public void setUp() {
        text = DlpThroughputBench.syntheticNotes(64_000, new Random(42));
        hostile = HostileText.of(64_000, 2_000);
        scanner = PhiScanner.standard();
    }

    @Benchmark
    public List<Finding> allDetectors() {
        return scanner.scan(text);
    }

    @Benchmark
    public List<Finding> hostileText() {
        return scanner.scan(hostile);
    }
}
