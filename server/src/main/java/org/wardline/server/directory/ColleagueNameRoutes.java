package org.wardline.server.directory;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.ApiModule;
import org.wardline.server.admin.AdminAudit;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.rbac.Authorizer;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.Principal;
import org.wardline.server.rbac.RouteRegistry;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditOutcome;

import java.util.UUID;

import static org.wardline.server.auth.JsonExchange.handle;

/**
 * The name of a person one shares a conversation with ({@code GET /v1/directory/colleagues/:userId}), so a client
 * can show "Kim Park" where an MLS credential names only {@code urn:wardline:user:<id>:device:<id>}. It answers only
 * for oneself and for users who have (or had) a device in a conversation the caller has (or had) a device in:
 * a client learns no name it could not already see in its own conversations, and the route cannot walk the staff
 * list by ID. Anyone else answers the same {@code not_found} as an unknown ID. Audited before the answer leaves.
 * Device listener, and public listener for browser devices only; permission {@code MESSAGE_READ}.
 */
public final class ColleagueNameRoutes implements ApiModule {
    public static final String PATH = "/v1/directory/colleagues/:userId";
    static final AuditAction NAMED = new AuditAction("directory.user.named");
    private static final String FIND = """
            SELECT u.id, u.username, u.display_name FROM users u
            WHERE u.id = $1 AND (u.id = $2 OR EXISTS (
                SELECT 1 FROM conversation_members theirs
                JOIN conversation_members mine ON mine.conversation_id = theirs.conversation_id
                WHERE theirs.user_id = $1 AND mine.user_id = $2))""";

    private final Pool pool;
    private final AdminAudit audit;

    public ColleagueNameRoutes(Pool pool, AdminAudit audit) {
        this.pool = pool;
        this.audit = audit;
    }

    @Override
    public void mount(RouteRegistry routes) {
        routes.on(RouteRegistry.Listener.DEVICE, HttpMethod.GET, PATH).permission(Permission.MESSAGE_READ)
                .handler(ctx -> handle(ctx, () -> name(ctx)));
        routes.on(RouteRegistry.Listener.PUBLIC, HttpMethod.GET, PATH).permission(Permission.MESSAGE_READ)
                .handler(ctx -> handle(ctx, () -> org.wardline.server.auth.dpop.BrowserDevicesOnly.check(ctx).compose(v -> name(ctx))));
    }

    private Future<JsonObject> name(RoutingContext ctx) {
        Principal by = Authorizer.principal(ctx);
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("userId"));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
        }
        ctx.response().putHeader("Cache-Control", "no-store");
        return pool.preparedQuery(FIND).execute(Tuple.of(id, by.user().id())).compose(rows -> {
            if (rows.size() == 0) {
                return audit.record(ctx, by, NAMED, AuditOutcome.FAILURE, null, null,
                                AuditDetails.builder().putCode("result", "not_found").build())
                        .compose(receipt -> Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND)));
            }
            Row r = rows.iterator().next();
            String display = r.getString("display_name");
            JsonObject answer = new JsonObject().put("urn", "urn:wardline:user:" + id).put("username", r.getString("username"))
                    .put("displayName", display == null || display.isBlank() ? r.getString("username") : display);
            return audit.success(ctx, by, NAMED, "user", id.toString(), AuditDetails.builder().putCode("result", "found").build())
                    .map(receipt -> answer);
        });
    }
}
