package org.wardline.server.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.Tag;
import org.wardline.protocol.wire.UnreadReason;
import org.wardline.protocol.wire.WireException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The deliveries an ACK says the device kept without reading ({@link Tag#UNREAD}): each must name one of the frame's
 * own SEQs, once; each one recorded counts in {@value #METRIC} by reason, so an operator sees devices failing to
 * decrypt before a clinician reports a missing message.
 */
final class UnreadDeliveries {
    static final String METRIC = "wardline.deliveries.unread";

    private UnreadDeliveries() {
    }

    static List<UnreadReason.Entry> parse(Frame ack, List<Long> seqs) throws WireException {
        List<String> values = ack.allText(Tag.UNREAD);
        if (values.isEmpty()) {
            return List.of();
        }
        Set<Long> acknowledged = new HashSet<>(seqs);
        Set<Long> seen = new HashSet<>();
        List<UnreadReason.Entry> out = new ArrayList<>(values.size());
        for (String v : values) {
            UnreadReason.Entry e = UnreadReason.Entry.parse(v, ack.requestId());
            if (!acknowledged.contains(e.seq()) || !seen.add(e.seq())) {
                throw new WireException(ErrorCode.PROTOCOL_MALFORMED, ack.requestId(), "UNREAD names a SEQ of this ACK, once");
            }
            out.add(e);
        }
        return out;
    }

    static void count(List<UnreadReason> recorded) {
        MeterRegistry registry = BackendRegistries.getDefaultNow();
        if (registry == null) {
            return;
        }
        for (UnreadReason r : recorded) {
            Counter.builder(METRIC).tag("reason", r.code()).register(registry).increment();
        }
    }
}
