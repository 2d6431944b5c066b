package org.wardline.bench.dlp;

import org.wardline.bench.BenchResult;
import org.wardline.bench.Progress;
import org.wardline.bench.Stats;
import org.wardline.dlp.bench.DlpThroughputBench;
import org.wardline.dlp.bench.HostileText;
import org.wardline.dlp.detect.PhiScanner;
import org.wardline.dlp.inspect.DlpInspector;
import org.wardline.dlp.inspect.Inspection;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * DLP scan throughput on one thread, so the figures are per core: every built-in detector over synthetic
 * nursing notes (the generator of dlp's DlpThroughputBench, fixed seed), and the whole inspection of text PDFs
 * (Tika type detection, PDFBox extraction, every detector) through {@link DlpInspector}, the upload pipeline's
 * inspector without the malware scan. Rates use the thread's CPU time, so other load on the machine does not
 * lower them; wall-clock rates are reported beside.
 */
public final class DlpBench {
    /** Text scanned before the measured runs: six scans of the default 16 MB. */
    static final long WARM_UP_CHARS = 96_000_000L;

    private final int textChars;
    private final int pdfCount;
    private final int pdfChars;
    private final int runs;
    private final Progress progress;

    /** {@code textChars} of notes (ASCII: one byte each); {@code pdfCount} PDFs of {@code pdfChars} characters. */
    public DlpBench(int textChars, int pdfCount, int pdfChars, int runs, Progress progress) {
        if (textChars < 1 || pdfCount < 1 || pdfChars < 1 || runs < 1) {
            throw new IllegalArgumentException("text size, PDF count and size, and runs must be positive");
        }
        this.textChars = textChars;
        this.pdfCount = pdfCount;
        this.pdfChars = pdfChars;
        this.runs = runs;
        this.progress = progress;
    }

    public BenchResult run() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        progress.phase("dlp: generating " + textChars + " characters of notes", "");
        String text = DlpThroughputBench.syntheticNotes(textChars, new Random(42));
        PhiScanner scanner = PhiScanner.standard();
        progress.phase("dlp: plain text, warm-up", "");
        long cold0 = threads.getCurrentThreadCpuTime();
        scanner.scan(text);
        double coldCpu = text.length() / 1e6 / ((threads.getCurrentThreadCpuTime() - cold0) / 1e9);
        // C2 settles the detectors' big loops only after several whole scans (one warm-up left the median ~20 %
        // low): warm up on WARM_UP_CHARS, as a server that has scanned a few uploads is
        for (long warmed = text.length(); warmed < WARM_UP_CHARS; warmed += text.length()) {
            scanner.scan(text);
        }
        double[] textCpu = new double[runs];
        double[] textWall = new double[runs];
        long findings = 0;
        for (int i = 0; i < runs; i++) {
            progress.phase("dlp: plain text run " + (i + 1) + "/" + runs, "");
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            findings = scanner.scan(text).size();
            textWall[i] = text.length() / 1e6 / ((System.nanoTime() - t0) / 1e9);
            textCpu[i] = text.length() / 1e6 / ((threads.getCurrentThreadCpuTime() - cpu0) / 1e9);
        }

        // text made to be slow to scan (HostileText): a quarter of the notes' size, same runs
        String hostile = HostileText.of(Math.max(64_000, textChars / 4), 2_000);
        scanner.scan(hostile);
        double[] hostileCpu = new double[runs];
        for (int i = 0; i < runs; i++) {
            progress.phase("dlp: hostile text run " + (i + 1) + "/" + runs, "");
            long cpu0 = threads.getCurrentThreadCpuTime();
            scanner.scan(hostile);
            hostileCpu[i] = hostile.length() / 1e6 / ((threads.getCurrentThreadCpuTime() - cpu0) / 1e9);
        }

        progress.phase("dlp: generating " + pdfCount + " PDFs", "PDFs");
        List<byte[]> pdfs = new ArrayList<>();
        Random random = new Random(7);
        long pdfBytes = 0;
        for (int i = 0; i < pdfCount; i++) {
            byte[] pdf = PdfCorpus.pdf(DlpThroughputBench.syntheticNotes(pdfChars, random));
            pdfs.add(pdf);
            pdfBytes += pdf.length;
            progress.add(1);
        }
        DlpInspector inspector = DlpInspector.standard(Optional.empty());
        progress.phase("dlp: PDFs, warm-up", "");
        inspectAll(inspector, pdfs.subList(0, 1));
        double[] pdfCpu = new double[runs];
        double[] pdfWall = new double[runs];
        long pdfText = 0;
        for (int i = 0; i < runs; i++) {
            progress.phase("dlp: PDF run " + (i + 1) + "/" + runs, "");
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            pdfText = inspectAll(inspector, pdfs);
            pdfWall[i] = pdfBytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
            pdfCpu[i] = pdfBytes / 1e6 / ((threads.getCurrentThreadCpuTime() - cpu0) / 1e9);
        }
        double perCore = Stats.median(textCpu);
        String setup = String.format(Locale.ROOT, "one thread, all %d detectors; %.1f MB of synthetic notes; %d text PDFs"
                + " (%.1f MB, %,d chars of text); %d runs each (median), rates by thread CPU time after %d MB of warm-up",
                scanner.detectors().size(), text.length() / 1e6, pdfCount, pdfBytes / 1e6, pdfText, runs,
                WARM_UP_CHARS / 1_000_000);
        return new BenchResult("dlp", setup)
                .figure("textMBpsPerCore", "plain text, per core (CPU time)", perCore, "MB/s")
                .figure("textMBpsWall", "plain text, wall clock", Stats.median(textWall), "MB/s")
                .figure("textColdMBpsPerCore", "plain text, first scan (cold JIT), per core", coldCpu, "MB/s")
                .figure("textFindings", "findings in the text", findings, "findings")
                .figure("hostileMBpsPerCore", "hostile text (HostileText), per core (CPU time)", Stats.median(hostileCpu), "MB/s")
                .figure("pdfMBpsPerCore", "PDF, per core (CPU time)", Stats.median(pdfCpu), "MB/s")
                .figure("pdfMBpsWall", "PDF, wall clock", Stats.median(pdfWall), "MB/s")
                .figure("pdfTextMBpsPerCore", "PDF, extracted text per core", pdfText / 1e6 / (pdfBytes / 1e6 / Stats.median(pdfCpu)), "MB/s")
                .target(">= 20 MB/s/core of plain text with every detector on", perCore >= 20,
                        String.format(Locale.ROOT, "%.1f MB/s/core", perCore));
    }

    /** Inspects every PDF; returns the characters of text extracted. */
    private static long inspectAll(DlpInspector inspector, List<byte[]> pdfs) throws Exception {
        long chars = 0;
        for (byte[] pdf : pdfs) {
            Inspection inspection = inspector.inspect(new ByteArrayInputStream(pdf), Optional.of("application/pdf"));
            if (!inspection.extraction().complete() || inspection.findings().isEmpty()) {
                throw new IllegalStateException("PDF inspection incomplete or found nothing: " + inspection.extraction());
            }
            chars += inspection.extraction().text().length();
        }
        return chars;
    }
}
