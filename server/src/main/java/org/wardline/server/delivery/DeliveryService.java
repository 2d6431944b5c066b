package org.wardline.server.delivery;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.buffer.Buffer;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.InvalidMlsMessageException;
import org.wardline.protocol.mls.KeyPackageCheck;
import org.wardline.protocol.mls.MlsEnvelope;
import org.wardline.protocol.mls.MlsSuites;
import org.wardline.protocol.mls.Roster;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.ReceiptKind;
import org.wardline.protocol.wire.Tag;
import org.wardline.protocol.wire.WireException;
import org.wardline.protocol.wire.WireLimits;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The delivery service's requests (everything but HELLO and ACK, which are connection state): validates the
 * frame and its MLS payload against the sender's certificate identity, stores, then publishes each new inbox
 * entry on the event bus at {@link #address(UUID)}, so whichever node holds the recipient's connection pushes it.
 */
public final class DeliveryService {
    static final String SEQ_HEADER = "seq";

    private final Vertx vertx;
    private final ConversationStore conversations;
    private final KeyPackageStore keyPackages;
    private final MembershipPolicy policy;
    private final DeliverySettings settings;
    /** The server as MLS external sender, or null when this node runs without it. */
    private ExternalRemovalIssuer externalRemovals;

    DeliveryService(Vertx vertx, ConversationStore conversations, KeyPackageStore keyPackages,
                    MembershipPolicy policy, DeliverySettings settings) {
        this.vertx = vertx;
        this.conversations = conversations;
        this.keyPackages = keyPackages;
        this.policy = policy;
        this.settings = settings;
    }

    DeliveryService withExternalRemovals(ExternalRemovalIssuer issuer) {
        this.externalRemovals = issuer;
        return this;
    }

    /** Event-bus address of a device's live connections. */
    public static String address(UUID device) {
        return "wardline.delivery.device." + device;
    }

    MessageConsumer<Buffer> consumer(UUID device, Handler<Message<Buffer>> handler) {
        return vertx.eventBus().consumer(address(device), handler);
    }

    Future<Frame> handle(DeviceUri sender, Frame request) {
        try {
            return switch (request.type()) {
                case UPLOAD_KEY_PACKAGES -> upload(sender, request);
                case CLAIM_KEY_PACKAGES -> claim(sender, request);
                case CREATE_CONVERSATION -> create(sender, request);
                case COMMIT -> commit(sender, request);
                case PROPOSAL -> relay(sender, request, DeliveryKind.PROPOSAL, MlsEnvelope.ContentType.PROPOSAL);
                case SEND -> relay(sender, request, DeliveryKind.APPLICATION, MlsEnvelope.ContentType.APPLICATION);
                case RECEIPT -> receipt(sender, request);
                default -> Future.failedFuture(new DeliveryException(ErrorCode.PROTOCOL_MALFORMED, "not a request type"));
            };
        } catch (WireException e) {
            return Future.failedFuture(new DeliveryException(e.code(), e.getMessage()));
        } catch (InvalidMlsMessageException e) {
            return Future.failedFuture(new DeliveryException(ErrorCode.MLS_INVALID, e.getMessage()));
        } catch (DeliveryException e) {
            return Future.failedFuture(e);
        }
    }

    private Future<Frame> upload(DeviceUri sender, Frame request) throws WireException {
        List<byte[]> oneTime = request.all(Tag.KEY_PACKAGE);
        byte[] lastResort = request.has(Tag.LAST_RESORT) ? request.all(Tag.LAST_RESORT).get(0) : null;
        boolean replace = request.u64(Tag.REPLACE, 0) == 1;
        if (oneTime.isEmpty() && lastResort == null) {
            return Future.failedFuture(new DeliveryException(ErrorCode.PROTOCOL_MALFORMED, "no key package"));
        }
        // Signature checks are CPU work (P-384): off the event loop.
        return vertx.executeBlocking(() -> {
            for (byte[] kp : oneTime) {
                KeyPackageCheck.verify(kp, MlsSuites.DEFAULT_ID, sender);
            }
            if (lastResort != null) {
                KeyPackageCheck.verify(lastResort, MlsSuites.DEFAULT_ID, sender);
            }
            return null;
        }, false).recover(e -> Future.failedFuture(e instanceof InvalidMlsMessageException
                        ? new DeliveryException(ErrorCode.MLS_INVALID, e.getMessage()) : e))
                .compose(v -> keyPackages.upload(sender, oneTime, lastResort, replace))
                .map(v -> ok(request));
    }

    private Future<Frame> claim(DeviceUri claimer, Frame request) throws WireException {
        List<DeviceUri> devices = new ArrayList<>();
        for (String d : request.allText(Tag.DEVICE)) {
            devices.add(parseDevice(d));
        }
        List<UUID> users = new ArrayList<>();
        for (String u : request.allText(Tag.USER)) {
            users.add(parseUser(u));
        }
        if (devices.isEmpty() && users.isEmpty() || devices.size() + users.size() > 100) {
            return Future.failedFuture(new DeliveryException(ErrorCode.PROTOCOL_MALFORMED, "claim names 1–100 devices or users"));
        }
        Future<List<UUID>> targets = Future.succeededFuture(new ArrayList<>());
        for (DeviceUri d : devices) {
            targets = targets.compose(list -> allowed(claimer, d.user()).map(v -> {
                list.add(d.device());
                return list;
            }));
        }
        for (UUID u : users) {
            targets = targets.compose(list -> allowed(claimer, u).compose(v -> keyPackages.devicesOf(u)).map(ds -> {
                ds.stream().filter(d -> !d.equals(claimer.device()) && !list.contains(d)).forEach(list::add);
                return list;
            }));
        }
        return targets.compose(ids -> {
            Future<Frame> answer = Future.succeededFuture(Frame.of(FrameType.KEY_PACKAGES, request.requestId()));
            for (UUID id : ids) {
                answer = answer.compose(f -> keyPackages.claim(id).map(c -> c.map(k -> f
                        .with(Tag.DEVICE, k.device().toString()).with(Tag.KEY_PACKAGE, k.keyPackage())).orElse(f)));
            }
            return answer;
        }).compose(f -> f.has(Tag.KEY_PACKAGE) ? Future.succeededFuture(f)
                : Future.failedFuture(new DeliveryException(ErrorCode.KEY_PACKAGE_UNAVAILABLE, "no key package")));
    }

    private Future<Frame> create(DeviceUri sender, Frame request) throws WireException {
        byte[] groupId = groupId(request);
        long ttl = request.u64(Tag.TTL, 0);
        if (ttl > settings.maxTtl().toSeconds()) {
            return Future.failedFuture(new DeliveryException(ErrorCode.BAD_REQUEST, "timer longer than the retention policy allows"));
        }
        boolean externalSender = request.has(Tag.EXTERNAL_SENDER);
        if (externalSender && (externalRemovals == null
                || !Arrays.equals(request.bytes(Tag.EXTERNAL_SENDER), externalRemovals.signer().key().encoded()))) {
            return Future.failedFuture(new DeliveryException(ErrorCode.EXTERNAL_SENDER_MISMATCH, "not this server's external sender"));
        }
        return conversations.create(groupId, sender, ttl == 0 ? null : ttl, externalSender).map(v -> ok(request).with(Tag.EPOCH, 0));
    }

    private Future<Frame> commit(DeviceUri sender, Frame request) throws WireException, InvalidMlsMessageException {
        byte[] groupId = groupId(request);
        long epoch = request.u64(Tag.EPOCH);
        byte[] commit = request.bytes(Tag.PAYLOAD);
        checkEnvelope(sender, commit, groupId, epoch, MlsEnvelope.ContentType.COMMIT, false);
        List<DeviceUri> added = new ArrayList<>();
        for (String d : request.allText(Tag.ADDED)) {
            added.add(parseDevice(d));
        }
        List<DeviceUri> removed = new ArrayList<>();
        for (String d : request.allText(Tag.REMOVED)) {
            removed.add(parseDevice(d));
        }
        byte[] welcome = request.has(Tag.WELCOME) ? request.bytes(Tag.WELCOME) : null;
        if (added.isEmpty() != (welcome == null)) {
            throw new InvalidMlsMessageException("a Welcome goes with added devices, and only with them");
        }
        if (welcome != null && MlsEnvelope.inspect(welcome).wireFormat() != MlsEnvelope.WireFormat.WELCOME) {
            throw new InvalidMlsMessageException("WELCOME does not hold a Welcome");
        }
        if (removed.contains(sender) || added.stream().anyMatch(removed::contains)) {
            return Future.failedFuture(new DeliveryException(ErrorCode.PROTOCOL_MALFORMED, "inconsistent membership change"));
        }
        Map<Integer, DeviceUri> roster = Roster.decode(request.allText(Tag.ROSTER));
        Future<Void> checks = Future.succeededFuture();
        for (UUID user : added.stream().map(DeviceUri::user).distinct().toList()) {
            checks = checks.compose(v -> allowedIn(sender, user, groupId));
        }
        return checks.compose(v -> conversations.commit(sender, groupId, epoch, commit, welcome, added, removed))
                .compose(stored -> externalRemovals == null ? Future.succeededFuture(stored)
                        : externalRemovals.afterCommit(groupId, stored.epoch(), roster, removed).map(stored))
                .map(stored -> publish(stored, ok(request).with(Tag.EPOCH, stored.epoch()).with(Tag.MESSAGE_ID, stored.messageId())));
    }

    private Future<Frame> relay(DeviceUri sender, Frame request, DeliveryKind kind, MlsEnvelope.ContentType type)
            throws WireException, InvalidMlsMessageException {
        byte[] groupId = groupId(request);
        long epoch = request.u64(Tag.EPOCH);
        byte[] payload = request.bytes(Tag.PAYLOAD);
        checkEnvelope(sender, payload, groupId, epoch, type, kind == DeliveryKind.APPLICATION);
        // Published when the transaction commits, not after the hop to this connection's event loop: a commit
        // stored after this message, through another loop, must not reach a recipient before it.
        return conversations.relay(sender, groupId, epoch, kind, payload, stored -> publish(stored, null))
                .map(stored -> {
                    Frame ok = ok(request).with(Tag.MESSAGE_ID, stored.messageId());
                    return stored.expiresAt() == null ? ok : ok.with(Tag.EXPIRES_AT, stored.expiresAt());
                });
    }

    private Future<Frame> receipt(DeviceUri sender, Frame request) throws WireException {
        byte[] groupId = groupId(request);
        ReceiptKind kind = ReceiptKind.forCode(request.u64(Tag.KIND));
        if (kind == null) {
            throw new WireException(ErrorCode.PROTOCOL_MALFORMED, request.requestId(), "unknown receipt kind");
        }
        DeviceUri original = parseDevice(request.text(Tag.SENDER));
        return conversations.receipt(sender, groupId, request.u64(Tag.MESSAGE_ID), original, kind.code())
                .map(stored -> publish(stored, ok(request)));
    }

    private Frame publish(ConversationStore.Stored stored, Frame answer) {
        InboxEntry encodedFor = null;
        byte[] encoded = null;
        for (InboxEntry e : stored.deliveries()) {
            if (!e.sameMessageAs(encodedFor)) {
                encoded = FrameCodec.encode(e.withoutSeq());
                encodedFor = e;
            }
            vertx.eventBus().publish(address(e.recipient()), InboxEntry.deliverFrame(encoded, e.seq()),
                    new DeliveryOptions().addHeader(SEQ_HEADER, Long.toString(e.seq())));
        }
        return answer;
    }

    /** The MLS message must be for this group and epoch, of this content type, and name the sender in its AAD. */
    private static void checkEnvelope(DeviceUri sender, byte[] payload, byte[] groupId, long epoch,
                                      MlsEnvelope.ContentType type, boolean mustBePrivate) throws InvalidMlsMessageException {
        MlsEnvelope envelope = MlsEnvelope.inspect(payload);
        boolean framed = envelope.wireFormat() == MlsEnvelope.WireFormat.PRIVATE_MESSAGE
                || envelope.wireFormat() == MlsEnvelope.WireFormat.PUBLIC_MESSAGE && !mustBePrivate;
        if (!framed || envelope.contentType() != type) {
            throw new InvalidMlsMessageException("MLS message of the wrong kind");
        }
        if (!envelope.isFor(groupId) || envelope.epoch() != epoch) {
            throw new InvalidMlsMessageException("MLS message for another group or epoch");
        }
        if (!Arrays.equals(envelope.authenticatedData(), sender.toString().getBytes(StandardCharsets.UTF_8))) {
            throw new InvalidMlsMessageException("MLS authenticated data does not name the sending device");
        }
    }

    private Future<Void> allowed(DeviceUri actor, UUID user) {
        return policy.mayAdd(actor, user).compose(ok -> ok ? Future.succeededFuture()
                : Future.failedFuture(new DeliveryException(ErrorCode.FORBIDDEN, "membership policy refused")));
    }

    private Future<Void> allowedIn(DeviceUri actor, UUID user, byte[] groupId) {
        return policy.mayAddTo(actor, user, groupId).compose(ok -> ok ? Future.succeededFuture()
                : Future.failedFuture(new DeliveryException(ErrorCode.FORBIDDEN, "membership policy refused")));
    }

    private static byte[] groupId(Frame request) throws WireException {
        byte[] id = request.bytes(Tag.GROUP_ID);
        if (id.length == 0 || id.length > WireLimits.MAX_GROUP_ID_BYTES) {
            throw new WireException(ErrorCode.PROTOCOL_MALFORMED, request.requestId(), "group ID length");
        }
        return id;
    }

    private static DeviceUri parseDevice(String text) {
        return DeviceUri.parse(text).orElseThrow(() -> new DeliveryException(ErrorCode.PROTOCOL_MALFORMED, "not a device URI"));
    }

    private static UUID parseUser(String text) {
        Optional<DeviceUri> probe = DeviceUri.parse(text + ":device:00000000-0000-0000-0000-000000000000");
        return probe.map(DeviceUri::user).orElseThrow(() -> new DeliveryException(ErrorCode.PROTOCOL_MALFORMED, "not a user URI"));
    }

    static Frame ok(Frame request) {
        return Frame.of(FrameType.OK, request.requestId());
    }
}
