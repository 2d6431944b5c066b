package org.wardline.bench.jmh;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs this package's JMH benchmarks (all, or those matching a pattern) in forked JVMs: nanoseconds per operation. */
public final class JmhRun {
    private JmhRun() {
    }

    public static Collection<RunResult> run(String include, int forks, int warmups, int iterations, int seconds,
                                            List<String> jvmArgs) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(JmhRun.class.getPackageName() + "\\..*(" + include + ").*")
                .forks(forks)
                .warmupIterations(warmups)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds))
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.NANOSECONDS)
                .jvmArgsAppend(jvmArgs.toArray(String[]::new));
        return new Runner(options.build()).run();
    }
}
