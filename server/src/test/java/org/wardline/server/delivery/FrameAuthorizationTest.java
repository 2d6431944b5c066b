package org.wardline.server.delivery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.clients.messaging.MessagingException;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.rbac.Operation;
import org.wardline.server.rbac.Permission;
import org.wardline.server.testing.WardlineServerExtension;

import java.util.EnumMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Each WebSocket frame is authorized as its declared operation, on a real connection whose roles change. */
class FrameAuthorizationTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @Test
    void everyDeviceFrameTypeIsDeclaredAsAnOperation() {
        assertThat(FrameOperations.undeclared(FrameOperations.PERMISSIONS)).isEmpty();
        List<String> declared = WARDLINE.server().routes().operations().stream().map(Operation::name).toList();
        for (FrameType t : FrameType.values()) {
            if (t.fromDevice()) {
                assertThat(declared).as(t.name()).contains(FrameOperations.name(t));
            }
        }
    }

    @Test
    void aFrameTypeWithoutAPermissionIsFound() {
        var partial = new EnumMap<>(FrameOperations.PERMISSIONS);
        partial.remove(FrameType.RECEIPT);
        partial.put(FrameType.DELIVER, Permission.MESSAGE_READ); // a server frame type counts for nothing
        assertThat(FrameOperations.undeclared(partial)).containsExactly(FrameType.RECEIPT);
    }

    @Test
    void aConnectedDeviceLosesAndRegainsFramesWhenItsRolesChangeAndTheRefusalIsAudited() throws Exception {
        WardlineApi api = new WardlineApi(WARDLINE.server());
        WardlineApi.Account admin = api.bootstrapAdmin("frames.root");
        UUID user = UUID.randomUUID();
        RawDevice device = new RawDevice(TestDevices.device(WARDLINE.server(), user)).connect().hello();
        List<AccountEvent> events = new CopyOnWriteArrayList<>();
        WARDLINE.server().accessControl().events().connect(events::add);
        try {
            device.uploadKeyPackages(3);
            Frame claim = Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.DEVICE, device.uri().toString());
            assertThat(outcome(device, claim)).isEqualTo("ok");

            setRoles(api, admin, user, "billing");
            // Waits on ACK, which only the connection's guard refuses: a CLAIM is also refused by the membership
            // policy, which reads the roles from the database before the guard's refresh arrives.
            assertThat(eventually(device, Frame.of(FrameType.ACK, 0).with(Tag.SEQ, 1L), "auth.forbidden")).isEqualTo("auth.forbidden");
            // the connection survives, and every frame type is refused, reads (ACK, RECEIPT) included
            assertThat(outcome(device, claim)).isEqualTo("auth.forbidden");
            assertThat(outcome(device, Frame.of(FrameType.SEND, 0))).isEqualTo("auth.forbidden");
            assertThat(events).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(AccountEvent.Type.ACCESS_DENIED);
                assertThat(e.actorUserId()).isEqualTo(user);
                assertThat(e.objectType()).isEqualTo("operation");
                assertThat(e.objectId()).isEqualTo("ws.claim_key_packages");
                assertThat(e.detail()).isEqualTo("no_permission");
            });

            setRoles(api, admin, user, "nurse");
            assertThat(eventually(device, claim, "ok")).isEqualTo("ok");
        } finally {
            device.close();
        }
    }

    private static void setRoles(WardlineApi api, WardlineApi.Account admin, UUID user, String role) throws Exception {
        WardlineApi.Reply r = api.call("PUT", "/v1/admin/users/" + user + "/roles", admin.accessToken,
                new JsonObject().put("roles", new JsonArray().add(role)));
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
    }

    /** The account refresh is asynchronous: asks again until the answer is {@code expected} (at most 10 s). */
    private static String eventually(RawDevice device, Frame request, String expected) throws Exception {
        String last = null;
        for (int i = 0; i < 100 && !expected.equals(last); i++) {
            if (i > 0) {
                Thread.sleep(100);
            }
            last = outcome(device, request);
        }
        return last;
    }

    private static String outcome(RawDevice device, Frame request) throws Exception {
        try {
            device.connection.request(request).get(20, TimeUnit.SECONDS);
            return "ok";
        } catch (ExecutionException e) {
            return ((MessagingException) e.getCause()).code();
        }
    }
}
