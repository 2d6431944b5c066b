package org.wardline.bench.relay;

import org.junit.jupiter.api.Test;
import org.wardline.clients.messaging.MessagingException;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryLedgerTest {
    @Test
    void eachMessageIsRecordedOncePerRecipientAndRedeliveriesAreCountedApart() {
        DeliveryLedger ledger = new DeliveryLedger();
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

    @Test
    void refusalsAreCountedByCodeApartFromLostSendsAndARefusedMessageDeliveredIsFlagged() {
        DeliveryLedger ledger = new DeliveryLedger();
        byte[] limited = {1};
        byte[] stale = {2};
        byte[] limitedToo = {3};
        for (byte[] p : new byte[][] {limited, stale, limitedToo}) {
            ledger.sent(p, 1);
        }
        ledger.refused(limited, "request.rate_limited");
        ledger.refused(stale, "conversation.wrong_epoch");
        ledger.refused(limitedToo, "request.rate_limited");
        ledger.recordLost();
        ledger.delivered(stale, new HashSet<>());

        assertThat(ledger.refusals()).containsExactly(Map.entry("conversation.wrong_epoch", 1L), Map.entry("request.rate_limited", 2L));
        assertThat(ledger.refused()).isEqualTo(3);
        assertThat(ledger.lost()).isEqualTo(1);
        assertThat(ledger.deliveredRefused()).isEqualTo(1);
        assertThat(ledger.delivered()).isZero();
    }

    @Test
    void aRefusalIsAServerErrorCodeAndALostAnswerIsNot() {
        assertThat(RelayBench.refusalCode(new CompletionException(new MessagingException("request.rate_limited", null))))
                .isEqualTo("request.rate_limited");
        assertThat(RelayBench.refusalCode(new MessagingException("conversation.wrong_epoch", 3L))).isEqualTo("conversation.wrong_epoch");
        assertThat(RelayBench.refusalCode(new MessagingException(MessagingException.CONNECTION_LOST, null))).isNull();
        assertThat(RelayBench.refusalCode(new TimeoutException())).isNull();
    }
}
