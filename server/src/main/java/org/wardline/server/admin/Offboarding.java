package org.wardline.server.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.account.User;
import org.wardline.server.account.UserStatus;
import org.wardline.server.account.UserStore;
import org.wardline.server.auth.SessionStore;
import org.wardline.server.device.DeviceRevocation;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.pki.RevocationReason;
import org.wardline.server.sharelink.ShareLinks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Offboarding a user, all at once: the account is disabled, every session ends, every device is revoked (which
 * closes its live connections and puts its certificates on the CRL), every share link they created stops working;
 * their files stay where they are, or go to another active user when asked (never while a legal hold covers the
 * leaver: a transfer would take the files out of the hold). Coming back needs an administrator to enable the
 * account and a fresh device enrollment: revoked devices stay revoked.
 */
public final class Offboarding {
    private final Pool pool;
    private final UserStore users;
    private final SessionStore sessions;
    private final DeviceRevocation revocation;
    private final ShareLinks shareLinks;

    public Offboarding(Pool pool, UserStore users, SessionStore sessions, DeviceRevocation revocation, ShareLinks shareLinks) {
        this.pool = pool;
        this.users = users;
        this.sessions = sessions;
        this.revocation = revocation;
        this.shareLinks = shareLinks;
    }

    /** What offboarding did. */
    public record Result(UUID user, int sessionsEnded, int devicesRevoked, int shareLinksRevoked, long filesKept,
                         long filesTransferred, Optional<UUID> transferredTo) {
        public JsonObject toJson() {
            return new JsonObject().put("userId", user.toString()).put("status", "disabled")
                    .put("sessionsEnded", sessionsEnded).put("devicesRevoked", devicesRevoked)
                    .put("shareLinksRevoked", shareLinksRevoked).put("filesKept", filesKept)
                    .put("filesTransferred", filesTransferred)
                    .put("filesTransferredTo", transferredTo.map(UUID::toString).orElse(null));
        }
    }

    public Future<Result> offboard(UUID user, Optional<UUID> transferTo, UUID actor) {
        if (user.equals(actor) || transferTo.filter(user::equals).isPresent()) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.BAD_REQUEST));
        }
        Future<Optional<User>> target = users.byId(user);
        Future<Optional<User>> heir = transferTo.isEmpty() ? Future.succeededFuture(Optional.empty()) : users.byId(transferTo.get());
        return Future.all(target, heir).compose(v -> {
            if (target.result().isEmpty()) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.UNKNOWN_USER));
            }
            if (transferTo.isPresent() && heir.result().filter(u -> u.status() == UserStatus.ACTIVE).isEmpty()) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.UNKNOWN_USER));
            }
            return transferTo.isEmpty() ? Future.succeededFuture(false) : underHold(user);
        }).compose(held -> {
            if (held) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.LEGAL_HOLD_CONFLICT));
            }
            return users.setStatus(user, UserStatus.DISABLED);
        }).compose(v -> sessions.revokeAll(user, "offboarded"))
                .compose(ended -> revokeDevices(user).compose(devices -> shareLinks.revokeAllFor(user)
                        .compose(links -> files(user, transferTo).map(f -> new Result(user, ended, devices, links,
                                transferTo.isEmpty() ? f : 0, transferTo.isEmpty() ? 0 : f, transferTo)))));
    }

    private Future<Boolean> underHold(UUID user) {
        return pool.preparedQuery("SELECT 1 FROM legal_holds h WHERE h.released_at IS NULL AND ((h.scope = 'user' AND h.user_id = $1) "
                        + "OR (h.scope = 'team' AND h.team_id IN (SELECT team_id FROM team_members WHERE user_id = $1)))")
                .execute(Tuple.of(user)).map(r -> r.size() > 0);
    }

    private Future<Integer> revokeDevices(UUID user) {
        return pool.preparedQuery("SELECT id FROM devices WHERE user_id = $1 AND revoked_at IS NULL").execute(Tuple.of(user))
                .compose(rows -> {
                    List<Future<Boolean>> revoked = new ArrayList<>();
                    rows.forEach(r -> revoked.add(revocation.revoke(r.getUUID(0), RevocationReason.OFFBOARDED)));
                    return Future.all(revoked).map(all -> (int) revoked.stream().filter(Future::result).count());
                });
    }

    /** Transfers the leaver's stored files, or counts those kept. */
    private Future<Long> files(UUID user, Optional<UUID> transferTo) {
        if (transferTo.isEmpty()) {
            return pool.preparedQuery("SELECT count(*) FROM stored_objects WHERE owner_id = $1 AND state IN ('COMMITTED', 'QUARANTINED')")
                    .execute(Tuple.of(user)).map(r -> r.iterator().next().getLong(0));
        }
        return pool.preparedQuery("UPDATE stored_objects SET owner_id = $2 WHERE owner_id = $1 AND state IN ('COMMITTED', 'QUARANTINED')")
                .execute(Tuple.of(user, transferTo.get())).map(r -> (long) r.rowCount());
    }
}
