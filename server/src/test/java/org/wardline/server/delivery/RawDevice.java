package org.wardline.server.delivery;

import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.FrameConnection;
import org.wardline.clients.messaging.MessagingException;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceMlsIdentity;
import org.wardline.protocol.mls.KeyPackageBundle;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.MlsSuites;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A device speaking the wire protocol directly (no SDK logic), to send exactly the frames a test wants. */
final class RawDevice implements AutoCloseable {
    final DeviceCredentials credentials;
    final DeviceMlsIdentity identity;
    final BlockingQueue<Frame> deliveries = new LinkedBlockingQueue<>();
    final java.util.List<KeyPackageBundle> bundles = new java.util.ArrayList<>();
    FrameConnection connection;

    RawDevice(DeviceCredentials credentials) {
        this.credentials = credentials;
        this.identity = DeviceMlsIdentity.generate(credentials.device(), MlsSuites.DEFAULT_ID);
    }

    DeviceUri uri() {
        return credentials.device();
    }

    RawDevice connect() throws Exception {
        connection = FrameConnection.open(credentials, deliveries::add, () -> { }).get(10, TimeUnit.SECONDS);
        return this;
    }

    RawDevice hello() throws Exception {
        ok(Frame.of(FrameType.HELLO, 0));
        return this;
    }

    Frame ok(Frame request) throws Exception {
        return connection.request(request).get(20, TimeUnit.SECONDS);
    }

    /** The stable error code the server answers {@code request} with; fails if it answers OK. */
    String error(Frame request) throws Exception {
        return error(connection.request(request));
    }

    static String error(CompletableFuture<Frame> answer) throws Exception {
        try {
            Frame f = answer.get(20, TimeUnit.SECONDS);
            throw new AssertionError("expected an error, got " + f);
        } catch (ExecutionException e) {
            return ((MessagingException) e.getCause()).code();
        }
    }

    Frame nextDelivery() throws InterruptedException {
        Frame f = deliveries.poll(20, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no delivery within 20 s");
        }
        return f;
    }

    void ack(Frame delivery) throws Exception {
        ok(Frame.of(FrameType.ACK, 0).with(Tag.SEQ, delivery.u64(Tag.SEQ)));
    }

    void uploadKeyPackages(int n) throws Exception {
        Frame upload = Frame.of(FrameType.UPLOAD_KEY_PACKAGES, 0);
        for (int i = 0; i < n; i++) {
            KeyPackageBundle b = identity.newKeyPackage();
            bundles.add(b);
            upload = upload.with(Tag.KEY_PACKAGE, b.encoded());
        }
        ok(upload);
    }

    /** Joins from a WELCOME delivery with whichever uploaded key package it is for. */
    ConversationGroup join(Frame welcomeDelivery) throws Exception {
        byte[] welcome = welcomeDelivery.bytes(Tag.WELCOME);
        for (KeyPackageBundle b : bundles) {
            if (ConversationGroup.welcomes(b, welcome)) {
                return ConversationGroup.join(identity, b, welcome);
            }
        }
        throw new AssertionError("the Welcome is for none of this device's key packages");
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
