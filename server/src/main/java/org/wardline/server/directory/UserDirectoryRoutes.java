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
import java.util.regex.Pattern;

import static org.wardline.server.auth.JsonExchange.handle;

/**
 * One colleague by exact user name ({@code GET /v1/directory/users/:name} on the device listener, and on the public
 * listener for browser devices only), so a chat client can {@code /invite nurse.kim} and the web app can start a
 * conversation: the answer holds only what an invite needs (the user's URN and display name). There
 * is no listing and no prefix search, and an unknown or disabled account answers the same {@code not_found}, so the
 * route cannot enumerate accounts. Every look-up is audited before the answer leaves; the typed name is not recorded.
 */
public final class UserDirectoryRoutes implements ApiModule {
    public static final String PATH = "/v1/directory/users/:name";
    static final AuditAction LOOKED_UP = new AuditAction("directory.user.looked_up");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}._@+-]{1,128}");
    private static final String FIND = "SELECT id, username, display_name FROM users WHERE lower(username) = lower($1) AND status = 'active'";

    private final Pool pool;
    private final AdminAudit audit;

    public UserDirectoryRoutes(Pool pool, AdminAudit audit) {
        this.pool = pool;
        this.audit = audit;
    }

    @Override
    public void mount(RouteRegistry routes) {
        routes.on(RouteRegistry.Listener.DEVICE, HttpMethod.GET, PATH).permission(Permission.MESSAGE_SEND)
                .handler(ctx -> handle(ctx, () -> lookUp(ctx)));
        routes.on(RouteRegistry.Listener.PUBLIC, HttpMethod.GET, PATH).permission(Permission.MESSAGE_SEND)
                .handler(ctx -> handle(ctx, () -> org.wardline.server.auth.dpop.BrowserDevicesOnly.check(ctx).compose(v -> lookUp(ctx))));
    }

    private Future<JsonObject> lookUp(RoutingContext ctx) {
        Principal by = Authorizer.principal(ctx);
        String name = ctx.pathParam("name");
        if (name == null || !NAME.matcher(name).matches()) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
        }
        ctx.response().putHeader("Cache-Control", "no-store");
        return pool.preparedQuery(FIND).execute(Tuple.of(name)).compose(rows -> {
            if (rows.size() == 0) {
                return audit.record(ctx, by, LOOKED_UP, AuditOutcome.FAILURE, null, null,
                                AuditDetails.builder().putCode("result", "not_found").build())
                        .compose(receipt -> Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND)));
            }
            Row r = rows.iterator().next();
            UUID id = r.getUUID("id");
            String display = r.getString("display_name");
            JsonObject answer = new JsonObject().put("urn", "urn:wardline:user:" + id).put("username", r.getString("username"))
                    .put("displayName", display == null || display.isBlank() ? r.getString("username") : display);
            return audit.success(ctx, by, LOOKED_UP, "user", id.toString(), AuditDetails.builder().putCode("result", "found").build())
                    .map(receipt -> answer);
        });
    }
}
