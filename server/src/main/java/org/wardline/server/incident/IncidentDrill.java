package org.wardline.server.incident;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.Secret;
import org.wardline.server.account.NewUser;
import org.wardline.server.account.PasswordHasher;
import org.wardline.server.account.Role;
import org.wardline.server.account.UserStore;
import org.wardline.server.http.WardlineHttpException;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A tabletop drill (issue 20, part 7) on a dev installation only: creates a clearly marked drill account, simulates
 * the triggering report, opens a drill-marked incident and contains it with the same services a real incident uses,
 * and measures detection → opened → contained. The drill incident never counts as a real one (ADR 0020v).
 */
public final class IncidentDrill {
    /** The rehearsals offered; each names the category its incident gets and the containment it rehearses. */
    public enum Scenario {
        LOST_DEVICE(IncidentCategory.LOST_DEVICE, ContainmentAction.SUSPEND_ACCOUNT);

        final IncidentCategory category;
        final ContainmentAction containment;

        Scenario(IncidentCategory category, ContainmentAction containment) {
            this.category = category;
            this.containment = containment;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Optional<Scenario> parse(String s) {
            for (Scenario v : values()) {
                if (v.wireName().equals(s)) {
                    return Optional.of(v);
                }
            }
            return Optional.empty();
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final boolean devInstallation;
    private final Incidents incidents;
    private final Containment containment;
    private final UserStore users;
    private final PasswordHasher hasher;

    public IncidentDrill(boolean devInstallation, Incidents incidents, Containment containment, UserStore users, PasswordHasher hasher) {
        this.devInstallation = devInstallation;
        this.incidents = incidents;
        this.containment = containment;
        this.users = users;
        this.hasher = hasher;
    }

    /** Runs {@code scenario}; refused on anything but a dev installation, before anything is created. */
    public Future<JsonObject> run(String scenarioName, IncidentStore.Actor by) {
        if (!devInstallation) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_DRILL_NOT_DEV));
        }
        Scenario scenario = Scenario.parse(scenarioName).orElseThrow(() -> new WardlineHttpException(ErrorCode.INCIDENT_INVALID));
        byte[] tag = new byte[4];
        RANDOM.nextBytes(tag);
        String username = "drill-" + HexFormat.of().formatHex(tag);
        byte[] password = new byte[32];
        RANDOM.nextBytes(password);
        // Nobody learns this password: the drill account exists only to be contained.
        return hasher.hash(Secret.of(Base64.getEncoder().encodeToString(password)))
                .compose(hash -> users.create(new NewUser(username, null, "Drill account (not a person)", null, null,
                        Set.of(Role.CLINICIAN)), hash))
                .compose(user -> rehearse(scenario, user, by));
    }

    /** The response itself, timed from the moment the drill account exists (making it is set-up, not response). */
    private Future<JsonObject> rehearse(Scenario scenario, org.wardline.server.account.User user, IncidentStore.Actor by) {
        long detected = System.nanoTime();
        IncidentStore.Actor reported = by.now(incidents.clock());
        return incidents.openDrill(new Incidents.Report(scenario.category, IncidentSeverity.LOW, Optional.of(user.id()),
                Optional.of(reported.at())), reported).compose(opened -> {
            long openedAt = System.nanoTime();
            Containment.Request step = new Containment.Request(scenario.containment, "user", user.id().toString(),
                    IncidentReason.DRILL, Optional.empty());
            return containment.contain(opened.id(), step, by.now(incidents.clock())).compose(done -> {
                long containedAt = System.nanoTime();
                return incidents.transition(opened.id(), IncidentStatus.CONTAINED, by.now(incidents.clock()))
                        .map(i -> new JsonObject().put("scenario", scenario.wireName()).put("incident", i.toJson())
                                .put("drillUser", new JsonObject().put("id", user.id().toString()).put("username", user.username()))
                                .put("containment", done)
                                .put("times", new JsonObject()
                                        .put("detectionToOpenedMs", millis(detected, openedAt))
                                        .put("openedToContainedMs", millis(openedAt, containedAt))
                                        .put("detectionToContainedMs", millis(detected, containedAt))));
            });
        });
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }
}
