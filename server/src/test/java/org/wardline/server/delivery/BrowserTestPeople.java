package org.wardline.server.delivery;

import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Tuple;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.server.WardlineServer;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.rbac.TeamStore;
import org.wardline.server.testing.CareTeams;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The people of the web app's browser tests: a nurse in the shared care team, Java colleagues in it, their names. */
final class BrowserTestPeople {
    private BrowserTestPeople() {
    }

    /** A nurse (password and TOTP, training current) in the care team the Java colleagues share. */
    static WardlineApi.Account nurse(WardlineServer server, WardlineApi api, WardlineApi.Account admin, String username)
            throws Exception {
        WardlineApi.Account nurse = api.createAndSignIn(admin, username, new JsonArray().add("nurse"), "2099-01-01");
        new TeamStore(server.database().pool()).addMember(CareTeams.sharedTeam(server), nurse.id)
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return nurse;
    }

    /** A colleague of that team on the Java SDK, its vault in {@code vault}, connected; close it after the test. */
    static MessagingClient javaColleague(WardlineServer server, Path vault, RecordingListener events) throws Exception {
        MessagingClient client = MessagingClient.start(TestDevices.teamMate(server), LocalVault.open(vault, "p".toCharArray()), events);
        client.connected().get(60, TimeUnit.SECONDS);
        return client;
    }

    /** Gives the client's user the user name the nurse looks up, and the name the page shows. */
    static void name(WardlineServer server, MessagingClient client, String username, String displayName) throws Exception {
        server.database().pool().preparedQuery("UPDATE users SET username = $2, display_name = $3 WHERE id = $1")
                .execute(Tuple.of(client.device().user(), username, displayName)).toCompletionStage().toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }
}
