package org.wardline.bench.relay;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;

/** CPU time used so far, in seconds, by this JVM or by another process and its descendants. */
final class ProcessCpu {
    private ProcessCpu() {
    }

    /** This JVM (the load generator). */
    static double self() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** Process {@code pid} alone. */
    static double of(long pid) {
        return ProcessHandle.of(pid).map(ProcessCpu::seconds).orElse(Double.NaN);
    }

    /** Every live descendant of {@code pid} (the server's PostgreSQL and its backends), not {@code pid} itself. */
    static double descendantsOf(long pid) {
        return ProcessHandle.of(pid).map(p -> p.descendants().mapToDouble(ProcessCpu::seconds).sum()).orElse(Double.NaN);
    }

    private static double seconds(ProcessHandle p) {
        Optional<Duration> cpu = p.info().totalCpuDuration();
        return cpu.map(d -> d.toNanos() / 1e9).orElse(0.0);
    }
}
