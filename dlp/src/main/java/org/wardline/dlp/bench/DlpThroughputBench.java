package org.wardline.dlp.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import net.datafaker.Faker;
import org.wardline.dlp.detect.PhiScanner;

/**
 * Single-threaded throughput of the full detector set on synthetic clinical plain text (fixed seed), so the
 * figure is MB/s per core; it is computed from the thread's CPU time so that other load on a shared machine
 * does not distort it (wall-clock MB/s is printed beside it). Not a test: run it by hand.
 *
 * <pre>
 *   java -cp dlp/target/classes:$(cat cp.txt) org.wardline.dlp.bench.DlpThroughputBench [MB] [runs]
 * </pre>
 */
public final class DlpThroughputBench {

  private static final String[] FILLER = {
    "VS: BP 128/76, HR 82, RR 16, T 98.4, SpO2 95% on RA. ",
    "Pt resting in bed, call light within reach, no acute distress noted. ",
    "Pain 4/10 to abd, medicated with acetaminophen 650 mg PO, reassess in 1 hr. ",
    "Lungs clear bilat, diminished at bases. Encouraged IS q1h while awake. ",
    "I&O: 1450 in / 900 out. Foley draining clear yellow urine. ",
    "PT TOLERATED CLEAR LIQUIDS, ADVANCE DIET AS TOLERATED PER MD ORDER. ",
    "Labs: Na 138, K 3.9, Cl 101, CO2 24, BUN 18, Cr 1.1, Glu 142. ",
    "Dressing to L knee CDI, no s/s infection, pedal pulses +2 bilat. ",
    "WILL CONTINUE TO MONITOR, FALL PRECAUTIONS IN PLACE, BED ALARM ON. ",
    "Heparin 5000 units subq q8h, metoprolol 25 mg PO BID held for HR 54. ",
  };

  private DlpThroughputBench() {}

  public static void main(String[] args) {
    int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String text = syntheticNotes(megabytes * 1_000_000, new Random(42));
    PhiScanner scanner = PhiScanner.standard();
    System.out.printf(Locale.ROOT, "text: %,d chars (%d MB), detectors: %d%n", text.length(), megabytes,
        scanner.detectors().size());
    for (int i = 0; i < 2; i++) {
      scanner.scan(text); // warm-up
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] cpuRates = new double[runs];
    double[] wallRates = new double[runs];
    for (int i = 0; i < runs; i++) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      int findings = scanner.scan(text).size();
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
      cpuRates[i] = text.length() / 1e6 / cpu;
      wallRates[i] = text.length() / 1e6 / wall;
      System.out.printf(Locale.ROOT, "run %d: %.1f MB/s per CPU-second, %.1f MB/s wall (%d findings)%n", i + 1,
          cpuRates[i], wallRates[i], findings);
    }
    Arrays.sort(cpuRates);
    Arrays.sort(wallRates);
    // CPU time is the per-core figure even when other processes share the machine; wall time is shown too
    System.out.printf(Locale.ROOT, "median: %.1f MB/s of plain text per core (thread CPU time), %.1f MB/s wall,"
        + " all %d detectors%n", cpuRates[runs / 2], wallRates[runs / 2], scanner.detectors().size());
  }

  /** Nursing-note-like text, about one PHI item per 150 chars, a third of the notes in ALL CAPS. */
  public static String syntheticNotes(int chars, Random random) {
    Faker faker = new Faker(Locale.US, random);
    StringBuilder out = new StringBuilder(chars + 4096);
    while (out.length() < chars) {
      StringBuilder note = new StringBuilder();
      note.append("Pt ").append(faker.name().firstName()).append(' ').append(faker.name().lastName())
          .append(", MRN ").append(10_000_000 + random.nextInt(89_999_999))
          .append(", DOB ").append(1 + random.nextInt(12)).append('/').append(1 + random.nextInt(28)).append('/')
          .append(1930 + random.nextInt(80)).append(". ");
      for (int i = 0; i < 12; i++) {
        note.append(FILLER[random.nextInt(FILLER.length)]);
        switch (random.nextInt(6)) {
          case 0 -> note.append("Daughter ").append(faker.name().firstName()).append(" called, cb ")
              .append(String.format("(%03d) %03d-%04d", 200 + random.nextInt(700), 200 + random.nextInt(700),
                  random.nextInt(10000))).append(". ");
          case 1 -> note.append("Spoke with Dr. ").append(faker.name().lastName()).append(" re: plan. ");
          case 2 -> note.append("Lives at ").append(faker.address().streetAddress()).append(", ")
              .append(faker.address().city()).append(", ").append(faker.address().stateAbbr()).append(' ')
              .append(faker.address().zipCode()).append(". ");
          case 3 -> note.append("Portal email ").append(faker.internet().emailAddress()).append(". ");
          default -> { }
        }
      }
      String s = note.append('\n').toString();
      out.append(random.nextInt(3) == 0 ? s.toUpperCase(Locale.ROOT) : s);
    }
    return out.toString();
  }
}
