package org.wardline.server.directory;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
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
 * One colleague by exact user name ({@code GET /v1/directory/users/:name} on the device listener), so a chat client
 * can {@code /invite nurse.kim}: the answer holds only what an invite needs (the user's URN and display name). There
 * is no listing and no prefix search, and an unknown or disabled account answers the same {@code not_found}, so the
 * route cannot enumerate accounts. Every look-up is audited before the answer leaves; the typed name is not recorded.
 *
 * <p>The name of a user ID ({@code GET /v1/directory/user-ids/:id}), so a chat client shows names instead of IDs on
 * every line: answered only for the caller and for users who are or were in a conversation with one of the caller's
 * devices, the people whose messages the caller sees; any other ID answers the same {@code not_found}.
 */
public final class UserDirectoryRoutes implements ApiModule {
    public static final String PATH = "/v1/directory/users/:name";
    public static final String BY_ID_PATH = "/v1/directory/user-ids/:id";
    static final AuditAction LOOKED_UP = new AuditAction("directory.user.looked_up");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}._@+-]{1,128}");
    private static final String FIND = "SELECT id, username, display_name FROM users WHERE lower(username) = lower($1) AND status = 'active'";

    private static final String FIND_BY_ID = """
            SELECT u.id, u.username, u.display_name FROM users u
             WHERE u.id = $1 AND (u.id = $2 OR EXISTS (
                   SELECT 1 FROM conversation_members mine JOIN conversation_members theirs USING (conversation_id)
                    WHERE mine.user_id = $2 AND theirs.user_id = $1))""";

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
        routes.on(RouteRegistry.Listener.DEVICE, HttpMethod.GET, BY_ID_PATH).permission(Permission.MESSAGE_SEND)
                .handler(ctx -> handle(ctx, () -> lookUpId(ctx)));
    }

    private Future<JsonObject> lookUpId(RoutingContext ctx) {
        Principal by = Authorizer.principal(ctx);
        UUID id;
        try {
            id = UUID.fromString(String.valueOf(ctx.pathParam("id")));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
        }
        ctx.response().putHeader("Cache-Control", "no-store");
        return pool.preparedQuery(FIND_BY_ID).execute(Tuple.of(id, by.userId())).compose(rows -> answer(ctx, by, rows));
    }

    private Future<JsonObject> lookUp(RoutingContext ctx) {
        Principal by = Authorizer.principal(ctx);
        String name = ctx.pathParam("name");
        if (name == null || !NAME.matcher(name).matches()) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
        }
        ctx.response().putHeader("Cache-Control", "no-store");
        return pool.preparedQuery(FIND).execute(Tuple.of(name)).compose(rows -> answer(ctx, by, rows));
    }

    /** The one user found, audited, or the same {@code not_found} (audited too) for none. */
    private Future<JsonObject> answer(RoutingContext ctx, Principal by, RowSet<Row> rows) {
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
    }
}
