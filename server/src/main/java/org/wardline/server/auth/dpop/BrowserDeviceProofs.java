package org.wardline.server.auth.dpop;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.AccountEvents;
import org.wardline.server.auth.DeviceIdentity;
import org.wardline.server.auth.SourceAddress;
import org.wardline.server.device.DeviceStore;
import org.wardline.server.http.RequestIds;
import org.wardline.server.http.WardlineHttpException;

import java.time.Clock;
import java.util.List;

/**
 * In front of every {@code /v1/*} route of the public listener: a request that carries a {@code DPoP} header comes
 * from a browser device, which must prove it. The proof must be valid ({@link DpopProofs}) and its key must be the
 * key of an enrolled browser device that is not revoked, expired or waiting for its wipe; then the device is put
 * on the context ({@link BrowserDevice}) for sign-in and for the {@link org.wardline.server.auth.Authenticator}.
 * A device waiting for its wipe may reach only {@code /v1/devices/me/wipe} (to fetch and confirm it), as on the
 * device listener. A request without the header passes untouched, except one presenting an
 * {@code Authorization: DPoP} token.
 * Every refusal is recorded.
 */
public final class BrowserDeviceProofs implements Handler<RoutingContext> {
    private final DpopProofs proofs;
    private final DeviceStore devices;
    private final AccountEvents events;
    private final Clock clock;

    public BrowserDeviceProofs(DpopProofs proofs, DeviceStore devices, AccountEvents events, Clock clock) {
        this.proofs = proofs;
        this.devices = devices;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        List<String> headers = ctx.request().headers().getAll("DPoP");
        String authorization = ctx.request().getHeader("Authorization");
        String token = authorization == null ? null : tokenOf(authorization);
        if (headers.isEmpty()) {
            if (authorization != null && authorization.regionMatches(true, 0, "DPoP ", 0, 5)) {
                refuse(ctx, ErrorCode.DPOP_REQUIRED, "dpop_proof_missing");
                return;
            }
            ctx.next();
            return;
        }
        String jkt;
        try {
            if (headers.size() != 1) {
                throw new WardlineHttpException(ErrorCode.DPOP_INVALID);
            }
            jkt = proofs.verify(ctx.request().method().name(), ctx.request().path(), headers.get(0), token,
                    WebSocketCredentials.isUpgrade(ctx));
        } catch (WardlineHttpException e) {
            refuse(ctx, e.code(), e.code() == ErrorCode.DPOP_REPLAYED ? "dpop_replayed" : "dpop_invalid");
            return;
        }
        ctx.request().pause();
        devices.byDpopKey(jkt).onSuccess(owner -> {
            if (owner.isEmpty()) {
                refuse(ctx, ErrorCode.DEVICE_NOT_ACTIVE, "dpop_key_unknown");
                return;
            }
            DeviceStore.Device device = owner.get().device();
            if (owner.get().wipePending()) {
                if (ctx.normalizedPath().startsWith(org.wardline.server.device.DeviceRoutes.WIPE_PATH)) {
                    // The one thing a lost browser may still do with its key: fetch its wipe and confirm it (ADR 0006).
                    ctx.put(BrowserDevice.KEY, new BrowserDevice(new DeviceIdentity(device.userId(), device.id()), jkt, device.serial()));
                    ctx.put(BrowserDevice.WIPE_PENDING, device);
                    ctx.next();
                    return;
                }
                refuse(ctx, ErrorCode.DEVICE_WIPE_PENDING, "device_wipe_pending");
                return;
            }
            boolean stopped = owner.get().stopsAt() != null && !owner.get().stopsAt().toInstant().isAfter(clock.instant());
            if (device.revoked() || stopped || !device.notAfter().toInstant().isAfter(clock.instant())) {
                refuse(ctx, ErrorCode.DEVICE_NOT_ACTIVE, "device_not_active");
                return;
            }
            ctx.put(BrowserDevice.KEY, new BrowserDevice(new DeviceIdentity(device.userId(), device.id()), jkt, device.serial()));
            ctx.next();
        }).onFailure(e -> {
            ctx.request().resume();
            ctx.fail(e);
        });
    }

    private static String tokenOf(String authorization) {
        int space = authorization.indexOf(' ');
        return space < 0 ? null : authorization.substring(space + 1).trim();
    }

    private void refuse(RoutingContext ctx, ErrorCode code, String why) {
        events.record(AccountEvent.of(AccountEvent.Type.TOKEN_REJECTED, AccountEvent.Outcome.DENIED)
                .source(SourceAddress.of(ctx), RequestIds.of(ctx)).detail(why).build());
        if (!ctx.request().isEnded()) {
            ctx.request().resume();
        }
        ctx.fail(new WardlineHttpException(code));
    }
}
