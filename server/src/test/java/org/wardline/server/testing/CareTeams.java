package org.wardline.server.testing;

import io.vertx.core.Future;
import org.wardline.server.WardlineServer;
import org.wardline.server.account.Role;
import org.wardline.server.rbac.BreakGlassStore;
import org.wardline.server.rbac.TeamStore;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Accounts and care teams for tests that need users the care-team membership policy accepts (an active account
 * with a clinical role, current training, in a team): accounts as {@link EnrolledDevices} creates them, teams and
 * break-glass through the server's own stores.
 */
public final class CareTeams {
    private static final Map<WardlineServer, UUID> SHARED = new ConcurrentHashMap<>();

    private CareTeams() {
    }

    /** A new care team. */
    public static UUID team(WardlineServer server) {
        return await(new TeamStore(server.database().pool()).create("team-" + UUID.randomUUID()));
    }

    /** One team per running server that tests put their messaging users in unless they need another. */
    public static UUID sharedTeam(WardlineServer server) {
        return SHARED.computeIfAbsent(server, CareTeams::team);
    }

    /** A clinician (MESSAGE_SEND, current training) in these teams. */
    public static UUID clinician(WardlineServer server, UUID... teams) {
        return user(server, Set.of(Role.CLINICIAN), LocalDate.now().plusYears(1), teams);
    }

    /** A clinician in the server's shared team. */
    public static UUID teamMate(WardlineServer server) {
        return clinician(server, sharedTeam(server));
    }

    /** An account (signed in once, as {@link EnrolledDevices} makes them) with these roles and training, in these teams. */
    public static UUID user(WardlineServer server, Set<Role> roles, LocalDate trainingExpiresOn, UUID... teams) {
        UUID id = UUID.randomUUID();
        try {
            EnrolledDevices.account(server, id, roles, trainingExpiresOn);
        } catch (Exception e) {
            throw new IllegalStateException("could not create a test account", e);
        }
        TeamStore store = new TeamStore(server.database().pool());
        for (UUID team : teams) {
            await(store.addMember(team, id));
        }
        return id;
    }

    /** Opens break-glass on {@code team} for {@code user}. */
    public static void breakGlass(WardlineServer server, UUID user, UUID team) {
        await(new BreakGlassStore(server.database().pool(), Duration.ofMinutes(30)).open(user, team, "emergency: patient coding"));
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
