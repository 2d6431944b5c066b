package org.wardline.storage.crypto;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AesGcmWarmUpTest {

    @Test
    void theWarmUpRunsOncePerJvmOnALowPriorityDaemonThreadAndEnds() throws Exception {
        AesGcmWarmUp.startOnce();
        AesGcmWarmUp.startOnce();
        long warmUpThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("aes-gcm-warm-up"))
                .peek(t -> assertThat(t.isDaemon()).isTrue())
                .peek(t -> assertThat(t.getPriority()).isEqualTo(Thread.MIN_PRIORITY))
                .count();
        assertThat(warmUpThreads).isLessThanOrEqualTo(1);
        assertThat(AesGcmWarmUp.awaitDone(120, TimeUnit.SECONDS)).isTrue();
    }
}
