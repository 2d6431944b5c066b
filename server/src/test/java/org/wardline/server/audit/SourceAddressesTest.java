package org.wardline.server.audit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SourceAddressesTest {
    @Test
    void literalsParseAndNamesAreNeverLookedUp() {
        assertThat(SourceAddresses.parse("127.0.0.1")).map(a -> a.getHostAddress()).contains("127.0.0.1");
        assertThat(SourceAddresses.parse("::1")).isPresent();
        assertThat(SourceAddresses.parse("localhost")).isEmpty();
        assertThat(SourceAddresses.parse("wardline.example.org")).isEmpty();
        assertThat(SourceAddresses.parse(null)).isEmpty();
    }
}
