package org.wardline.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretTest {
    @Test
    void printsRedactedWhereverItIsFormatted() {
        Secret<String> code = Secret.of("493817");
        assertThat(code.toString()).isEqualTo("[REDACTED]");
        assertThat("code=" + code).doesNotContain("493817");
        assertThat(String.format("%s", code)).doesNotContain("493817");
        assertThat(code.map(String::length).toString()).isEqualTo("[REDACTED]");
        assertThat(code.reveal()).isEqualTo("493817");
    }

    @Test
    void equalityFollowsTheValue() {
        assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).isNotEqualTo(Secret.of("b"));
    }
}
