package org.wardline.bench.relay;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryLedgerTest {
    @Test
    void eachMessageIsRecordedOncePerRecipientAndRedeliveriesAreCountedApart() {
        RelayBench.DeliveryLedger ledger = new RelayBench.DeliveryLedger();
        byte[] first = {1, 2, 3};
        byte[] second = {4, 5, 6};
        ledger.sent(first, 2);
        ledger.sent(second, 2);
        Set<ByteBuffer> alice = new HashSet<>();
        Set<ByteBuffer> bob = new HashSet<>();

        ledger.delivered(first, alice);
        ledger.delivered(first, alice);
        ledger.delivered(first, bob);
        ledger.delivered(second, bob);
        ledger.delivered(new byte[] {9}, bob);

        assertThat(ledger.delivered()).isEqualTo(3);
        assertThat(ledger.latency().getTotalCount()).isEqualTo(3);
        assertThat(ledger.duplicates()).isEqualTo(1);
        assertThat(ledger.unknown()).isEqualTo(1);
        assertThat(ledger.fullyDelivered()).isEqualTo(1);
    }
}
