package org.wardline.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reproduction of a crashed {@code wardline dev}: a JVM that started PostgreSQL and clamd on a data
 * directory is killed with SIGKILL, and the next start on that directory must work.
 */
class OrphanedServicesTest {
    private static final Duration STOPPED_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void postgresAndClamdStopWhenTheJvmThatStartedThemIsKilled() throws Exception {
        Started child = startChild();
        child.jvm.destroyForcibly().waitFor();

        assertStops(child.postgres, "PostgreSQL");
        assertStops(child.clamd, "clamd");
        startAgainInThisJvm();
    }

    @Test
    void aPostgresAndClamdLeftRunningOnTheDataDirectoryAreStoppedAtTheNextStart() throws Exception {
        Started child = startChild();
        ProcessHandle.of(child.postgresSentinel).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(child.clamdSentinel).ifPresent(ProcessHandle::destroyForcibly);
        child.jvm.destroyForcibly().waitFor();
        assertThat(alive(child.postgres)).as("PostgreSQL left running without its sentinel").isTrue();
        assertThat(alive(child.clamd)).as("clamd left running without its sentinel").isTrue();

        startAgainInThisJvm();
        assertThat(alive(child.postgres)).isFalse();
        assertThat(alive(child.clamd)).isFalse();
    }

    private void startAgainInThisJvm() {
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("postgres"));
             ClamdProcess clamd = ClamdProcess.start(ClamdProcess.findBinary().orElseThrow(), dir.resolve("clamd"),
                     1 << 20, false, Duration.ofSeconds(90))) {
            pg.ensureDatabase("wardline");
            assertThat(ClamdProcess.ping(clamd.host(), clamd.port(), Duration.ofSeconds(2))).isTrue();
        }
    }

    private record Started(Process jvm, long postgres, long postgresSentinel, long clamd, long clamdSentinel) {
    }

    private Started startChild() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process jvm = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp", classpath,
                DevChild.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
            // the child's log lines
        }
        assertThat(line).as("the child JVM started PostgreSQL and clamd").isNotNull();
        String[] pids = line.substring("READY ".length()).split(" ");
        return new Started(jvm, Long.parseLong(pids[0]), Long.parseLong(pids[1]), Long.parseLong(pids[2]), Long.parseLong(pids[3]));
    }

    private static void assertStops(long pid, String what) throws Exception {
        ProcessHandle p = ProcessHandle.of(pid).orElse(null);
        if (p != null) {
            p.onExit().get(STOPPED_WITHIN.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(alive(pid)).as(what + " outlived the JVM that started it").isFalse();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The JVM that is killed: starts PostgreSQL and clamd on the directory given, prints their pids, waits. */
    public static final class DevChild {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("postgres"));
            ClamdProcess clamd = ClamdProcess.start(ClamdProcess.findBinary().orElseThrow(), dir.resolve("clamd"),
                    1 << 20, false, Duration.ofSeconds(90));
            System.out.println("READY " + pg.postmasterPid() + " " + pg.sentinelPid() + " " + clamd.pid() + " " + clamd.sentinelPid());
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(5));
        }
    }
}
