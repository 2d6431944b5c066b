package org.wardline.protocol.wire;

import org.junit.jupiter.api.Test;
import org.wardline.protocol.ErrorCode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnreadReasonTest {
    @Test
    void anEntryTravelsAsSeqAndReasonCode() throws Exception {
        UnreadReason.Entry e = new UnreadReason.Entry(42, UnreadReason.EARLIER_EPOCH);
        assertThat(e.encode()).isEqualTo("42 epoch.earlier");
        assertThat(UnreadReason.Entry.parse("42 epoch.earlier", 7)).isEqualTo(e);
        for (UnreadReason r : UnreadReason.values()) {
            assertThat(UnreadReason.Entry.parse(new UnreadReason.Entry(1, r).encode(), 7).reason()).isEqualTo(r);
        }
    }

    @Test
    void anythingElseIsMalformedAndNamesTheRequest() {
        for (String bad : new String[] {"", "42", "42 ", " undecryptable", "x undecryptable", "0 undecryptable",
                "-3 undecryptable", "42 undecryptable extra", "42 read", "42  undecryptable", "99999999999999999999 undecryptable"}) {
            assertThatThrownBy(() -> UnreadReason.Entry.parse(bad, 7)).as(bad).isInstanceOfSatisfying(WireException.class, w -> {
                assertThat(w.code()).isEqualTo(ErrorCode.PROTOCOL_MALFORMED);
                assertThat(w.requestId()).isEqualTo(7);
            });
        }
    }
}
