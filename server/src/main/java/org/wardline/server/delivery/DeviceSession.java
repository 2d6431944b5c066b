package org.wardline.server.delivery;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.protocol.wire.UnreadReason;
import org.wardline.protocol.wire.WireException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One device's WebSocket: decodes frames, rate-limits, processes requests, answers them in arrival order, and
 * pushes the device's inbox (backlog on HELLO, then live entries from the event bus, each SEQ once per connection).
 * Runs on the connection's event loop; every store call is asynchronous.
 *
 * <p>Requests are pipelined ({@link RequestOrder}): up to {@link DeliverySettings#maxInFlight()} are processed at
 * once, and a request waits only for the earlier ones it could depend on: those of the same conversation, and
 * every one before a HELLO or key-package request. Answers keep the arrival order whatever the processing order.
 */
final class DeviceSession {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceSession.class);
    /** Answers waiting to be sent (refusals included); beyond this the peer is not reading and is cut off. */
    private static final int MAX_QUEUED = 1024;
    private static final short CLOSE_POLICY = 1008;
    private static final short CLOSE_TOO_BIG = 1009;
    private static final short CLOSE_PROTOCOL_ERROR = 1002;
    /**
     * After the backlog, the inbox is read once more this much later. In a cluster, another node may route a
     * publish by its not-yet-updated view of this new consumer (Hazelcast propagates registrations
     * asynchronously); what such a publish missed is in the inbox and is pushed then.
     */
    static final long CATCH_UP_MILLIS = 2_000;

    private final ServerWebSocket socket;
    /** The connection's context: every read of the inbox hands its entries back here before touching the socket. */
    private final io.vertx.core.Context context;
    private final DeviceUri device;
    private final DeliveryService service;
    private final InboxStore inbox;
    private final DeliverySettings settings;
    private final TokenBucket bucket;
    private final RequestOrder order;
    private final Set<Long> pushed = new HashSet<>();
    private Future<Void> tail = Future.succeededFuture();
    private int queued;
    private int inFlight;
    private int badFrames;
    private boolean helloSeen;
    private boolean backlogDone;
    /** The catch-up read is done: live entries are pushed as they come, no inbox entry can be missing before them. */
    private boolean caughtUp;
    /** Until caught up, live entries are read from the inbox in SEQ order, one read after the other. */
    private Future<Void> reads = Future.succeededFuture();
    /** Acked before the catch-up read came back: still kept in {@link #pushed} so the read cannot push them again. */
    private final List<Long> ackedBeforeCatchUp = new ArrayList<>();
    private boolean closed;
    /** This side sent Close: frames still arriving are not read. */
    private boolean closing;
    private final List<Message<Buffer>> early = new ArrayList<>();
    private MessageConsumer<Buffer> consumer;
    private final FrameOperations.FrameGuard guard;
    /** HELLO's OK: the backlog is streamed right after it is written. */
    private Frame helloAnswer;

    DeviceSession(ServerWebSocket socket, DeviceUri device, DeliveryService service, InboxStore inbox, DeliverySettings settings,
                  FrameOperations.FrameGuard guard) {
        this.guard = guard;
        this.socket = socket;
        this.context = io.vertx.core.Vertx.currentContext();
        this.device = device;
        this.service = service;
        this.inbox = inbox;
        this.settings = settings;
        this.bucket = new TokenBucket(settings.framesPerSecond(), settings.burst(), System::nanoTime);
        this.order = new RequestOrder(settings.maxInFlight());
    }

    void start() {
        socket.binaryMessageHandler(this::onFrame);
        socket.textMessageHandler(text -> {
            if (!closing && !closed) {
                answer(0, Future.succeededFuture(error(0, ErrorCode.PROTOCOL_MALFORMED, null)));
            }
        });
        socket.closeHandler(v -> close());
        socket.exceptionHandler(this::onSocketError);
    }

    /**
     * Vert.x reports a message over its size limit as an exception and drops the message; the device would wait
     * for an answer that never comes. The connection is closed instead (1009, message too big), as after any
     * other error on it: what the reader holds of a half-read message is no longer known.
     */
    private void onSocketError(Throwable e) {
        LOG.atDebug().addKeyValue("errorType", e.getClass().getSimpleName()).log("websocket error");
        boolean oversized = e instanceof IllegalStateException && String.valueOf(e.getMessage()).contains("max message size");
        closeForPolicy(oversized ? CLOSE_TOO_BIG : CLOSE_PROTOCOL_ERROR, oversized ? "message too big" : "protocol error");
    }

    /** Sends Close and stops reading: nothing the device sends after it is processed (RFC 6455 §5.5.1). */
    private void closeForPolicy(short code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        if (!socket.isClosed()) {
            socket.close(code, reason);
        }
    }

    private void onFrame(Buffer data) {
        if (closing || closed || socket.isClosed()) {
            return;
        }
        if (queued >= MAX_QUEUED) {
            closeForPolicy(CLOSE_POLICY, "flooding");
            return;
        }
        if (!bucket.tryTake() || inFlight >= settings.maxInFlight()) {
            long id = requestIdOf(data);
            answer(id, Future.succeededFuture(error(id, ErrorCode.RATE_LIMITED, null)));
            return;
        }
        Frame frame;
        try {
            frame = FrameCodec.decode(data.getBytes());
            if (!frame.type().fromDevice()) {
                throw new WireException(ErrorCode.PROTOCOL_MALFORMED, frame.requestId(), "server frame type");
            }
        } catch (WireException e) {
            if (++badFrames > settings.maxBadFrames()) {
                closeForPolicy(CLOSE_POLICY, "too many malformed frames");
                return;
            }
            answer(e.requestId(), Future.succeededFuture(error(e.requestId(), e.code(), null)));
            return;
        }
        inFlight++;
        Promise<Frame> result = Promise.promise();
        Promise<Void> started = Promise.promise();
        Future<Void> done = result.future().transform(ar -> Future.succeededFuture());
        done.onComplete(ar -> inFlight--);
        order.admit(frame, started.future(), done).onComplete(ar -> {
            Future<Frame> processing;
            try {
                processing = process(frame);
            } catch (RuntimeException e) {
                processing = Future.failedFuture(e);
            }
            started.complete();
            processing.onComplete(result);
        });
        answer(frame.requestId(), result.future());
    }

    /** Sends {@code answer}'s frame once every earlier frame's answer is sent, keeping answers in order. */
    private void answer(long requestId, Future<Frame> answer) {
        queued++;
        tail = tail.transform(ignored -> answer.recover(e -> failure(requestId, e)).map(frame -> {
            write(frame);
            if (frame.type() == FrameType.OK && helloAnswer == frame) {
                helloAnswer = null;
                streamBacklog(0);
            }
            return (Void) null;
        }).recover(e -> Future.succeededFuture())).andThen(ar -> queued--);
    }

    private Future<Frame> process(Frame frame) {
        var refusal = guard.refusal(frame.type());
        if (refusal.isPresent()) {
            return Future.succeededFuture(error(frame.requestId(), refusal.get(), null));
        }
        if (frame.type() == FrameType.HELLO) {
            return hello(frame);
        }
        if (!helloSeen) {
            return Future.succeededFuture(error(frame.requestId(), ErrorCode.PROTOCOL_STATE, null));
        }
        if (frame.type() == FrameType.ACK) {
            return ack(frame);
        }
        return service.handle(device, frame);
    }

    private Future<Frame> hello(Frame frame) {
        if (helloSeen) {
            return Future.succeededFuture(error(frame.requestId(), ErrorCode.PROTOCOL_STATE, null));
        }
        long cursor;
        try {
            cursor = frame.u64(Tag.CURSOR, 0);
        } catch (WireException e) {
            return Future.succeededFuture(error(frame.requestId(), e.code(), null));
        }
        helloSeen = true;
        consumer = socket.isClosed() ? null : service.consumer(device.device(), this::onLive);
        Future<Void> registered = consumer == null ? Future.succeededFuture() : consumer.completion();
        return registered
                .compose(v -> cursor > 0 ? inbox.ackUpTo(device.device(), cursor) : Future.succeededFuture(0))
                .compose(v -> inbox.pending(device.device()))
                .map(pending -> {
                    helloAnswer = DeliveryService.ok(frame).with(Tag.PENDING, pending);
                    return helloAnswer;
                });
    }

    private void streamBacklog(long after) {
        onContext(inbox.page(device.device(), after)).onSuccess(entries -> {
            long last = after;
            for (InboxEntry e : entries) {
                push(e.seq(), Buffer.buffer(FrameCodec.encode(e.toFrame())));
                last = e.seq();
            }
            if (entries.size() == InboxStore.pageSize() && !closed) {
                streamBacklog(last);
            } else {
                backlogDone = true;
                early.forEach(this::onLive);
                early.clear();
                context.owner().setTimer(CATCH_UP_MILLIS, id -> context.runOnContext(v -> catchUp()));
            }
        }).onFailure(e -> {
            LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName()).log("inbox backlog failed");
            closeForPolicy((short) 1011, "server error");
        });
    }

    /**
     * Reads the whole inbox once more and pushes what is still unpushed (what a publish routed by a stale view of
     * this consumer missed, or what committed late), then pushes live entries as they come.
     */
    private void catchUp() {
        if (closed) {
            return;
        }
        reads = reads.compose(v -> onContext(inbox.page(device.device(), 0))).map(entries -> {
            entries.forEach(e -> push(e.seq(), Buffer.buffer(FrameCodec.encode(e.toFrame()))));
            return (Void) null;
        }).onFailure(e -> LOG.atDebug().addKeyValue("errorType", e.getClass().getSimpleName()).log("inbox catch-up failed"))
                .recover(e -> Future.succeededFuture())
                .andThen(ar -> {
                    caughtUp = true;
                    ackedBeforeCatchUp.forEach(pushed::remove);
                    ackedBeforeCatchUp.clear();
                });
    }

    /**
     * A live entry. Until caught up, a publish before it may have missed this consumer; pushing it at once would
     * put it ahead of that earlier entry (PROTOCOL.md: DELIVER pushes entries in SEQ order). So it is taken as a
     * signal: the whole inbox is read and what is still unpushed is pushed in SEQ order, reads one after the other;
     * an entry an earlier read already pushed needs no read of its own.
     *
     * <p>The read starts at the inbox's beginning, not after the highest SEQ pushed: SEQs come from one sequence
     * shared by every transaction, so an entry can commit after one with a higher SEQ that this connection already
     * pushed (another node's relay, another conversation's batch). Reading only above that SEQ passed over it until
     * the catch-up read, after the next messages of its sender (issue 22 item 8, {@code LateCommitOrderTest}).
     * Whatever a read finds, every earlier message of the same sender and conversation is in it too: it committed
     * before the sender's next SEND was even answered.
     */
    private void onLive(Message<Buffer> message) {
        if (!backlogDone) {
            early.add(message);
            return;
        }
        long seq = Long.parseLong(message.headers().get(DeliveryService.SEQ_HEADER));
        if (caughtUp) {
            push(seq, message.body());
            return;
        }
        reads = reads.compose(v -> pushed.contains(seq) || closed ? Future.succeededFuture() : pushInboxAfter(0))
                .recover(e -> {
                    LOG.atDebug().addKeyValue("errorType", e.getClass().getSimpleName()).log("inbox read for a live entry failed");
                    push(seq, message.body());
                    return Future.succeededFuture();
                });
    }

    private Future<Void> pushInboxAfter(long after) {
        return onContext(inbox.page(device.device(), after)).compose(entries -> {
            long last = after;
            for (InboxEntry e : entries) {
                push(e.seq(), Buffer.buffer(FrameCodec.encode(e.toFrame())));
                last = e.seq();
            }
            return entries.size() == InboxStore.pageSize() && !closed ? pushInboxAfter(last) : Future.succeededFuture();
        });
    }

    /** {@code f}, completed on the connection's context whichever thread the store completed it on. */
    private <T> Future<T> onContext(Future<T> f) {
        if (context == null) {
            return f;
        }
        Promise<T> here = Promise.promise();
        f.onComplete(ar -> {
            if (io.vertx.core.Vertx.currentContext() == context) {
                here.handle(ar);
            } else {
                context.runOnContext(v -> here.handle(ar));
            }
        });
        return here.future();
    }

    private void push(long seq, Buffer frame) {
        if (pushed.add(seq)) {
            writeRaw(frame);
        }
    }

    private Future<Frame> ack(Frame frame) {
        List<Long> seqs;
        try {
            seqs = frame.allU64(Tag.SEQ);
        } catch (WireException e) {
            return Future.succeededFuture(error(frame.requestId(), e.code(), null));
        }
        if (seqs.isEmpty() || seqs.size() > 1000) {
            return Future.succeededFuture(error(frame.requestId(), ErrorCode.PROTOCOL_MALFORMED, null));
        }
        List<UnreadReason.Entry> unread;
        try {
            unread = UnreadDeliveries.parse(frame, seqs);
        } catch (WireException e) {
            return Future.succeededFuture(error(frame.requestId(), e.code(), null));
        }
        // Recorded before the entries go: an acknowledgement whose unread deliveries cannot be recorded is not made.
        Future<Void> recorded = unread.isEmpty() ? Future.succeededFuture()
                : inbox.recordUnread(device.device(), unread).map(reasons -> {
                    UnreadDeliveries.count(reasons);
                    return null;
                });
        return recorded.compose(v -> inbox.ack(device.device(), seqs)).map(n -> {
            if (caughtUp) {
                seqs.forEach(pushed::remove);
            } else {
                ackedBeforeCatchUp.addAll(seqs);
            }
            return DeliveryService.ok(frame);
        });
    }

    private Future<Frame> failure(long requestId, Throwable e) {
        if (e instanceof DeliveryException d) {
            return Future.succeededFuture(error(requestId, d.code(), d.currentEpoch()));
        }
        if (e instanceof WardlineHttpException w && w.code() == ErrorCode.AUDIT_UNAVAILABLE) {
            return Future.succeededFuture(error(requestId, w.code(), null));
        }
        var event = LOG.atError().addKeyValue("errorType", e.getClass().getName());
        if (e instanceof io.vertx.pgclient.PgException pg) {
            event = event.addKeyValue("sqlState", pg.getSqlState());
        }
        event.addKeyValue("requestId", requestId).log("delivery request failed");
        LOG.atDebug().setCause(e).log("delivery request failure detail");
        return Future.succeededFuture(error(requestId, ErrorCode.INTERNAL, null));
    }

    private Frame error(long requestId, ErrorCode code, Long epoch) {
        Frame f = Frame.of(FrameType.ERROR, requestId).with(Tag.ERROR_CODE, code.code());
        return epoch == null ? f : f.with(Tag.EPOCH, epoch);
    }

    private void write(Frame frame) {
        writeRaw(Buffer.buffer(FrameCodec.encode(frame)));
    }

    private void writeRaw(Buffer data) {
        if (!closed && !socket.isClosed()) {
            socket.writeBinaryMessage(data);
        }
    }

    private static long requestIdOf(Buffer data) {
        return data.length() >= 8 ? data.getUnsignedInt(4) : 0;
    }

    private void close() {
        closed = true;
        if (consumer != null) {
            consumer.unregister();
        }
    }
}
