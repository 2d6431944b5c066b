package org.wardline.bench.relay;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
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

    /**
     * Every live process whose command line names {@code dataDir} (the server's PostgreSQL postmaster, started
     * with {@code -D <dataDir>/…}; it detaches from the server, so it is no descendant of it), with its
     * descendants (the backends); not the server {@code serverPid} itself, which names it too.
     */
    static double processesUsing(Path dataDir, long serverPid) {
        String dir = dataDir.toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != serverPid && p.info().commandLine().map(c -> c.contains(dir)).orElse(false))
                .mapToDouble(p -> seconds(p) + p.descendants().mapToDouble(ProcessCpu::seconds).sum())
                .sum();
    }

    private static double seconds(ProcessHandle p) {
        Optional<Duration> cpu = p.info().totalCpuDuration();
        return cpu.map(d -> d.toNanos() / 1e9).orElse(0.0);
    }
}
