package org.wardline.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.wardline.dlp.bench.DlpThroughputBench;
import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.NameDictionary;
import org.wardline.dlp.detect.PhiDetector;
import org.wardline.dlp.detect.PhiScanner;
import org.wardline.dlp.detect.ScanText;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One DLP detector pass over 64 KB of synthetic nursing notes ({@code detector} names a built-in detector);
 * {@link DlpScannerBenchmark} runs all of them.
 */
@State(Scope.Thread)
public class DlpDetectorBenchmark {
    @Param({"ssn", "phone", "person-name", "street-address"})
    public String detector;

    private String text;
    private PhiDetector one;

    @Setup
    public void setUp() {
        text = DlpThroughputBench.syntheticNotes(64_000, new Random(42));
        List<PhiDetector> detectors = PhiScanner.standardDetectors(NameDictionary.standard());
        one = detectors.stream().filter(d -> d.name().equals(detector)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no detector " + detector + "; there are "
                        + detectors.stream().map(PhiDetector::name).toList()));
    }

    @Benchmark
    public List<Finding> detectorPass() {
        List<Finding> out = new ArrayList<>();
        one.detect(new ScanText(text), out::add);
        return out;
    }
}
