package org.wardline.server.incident;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.account.User;
import org.wardline.server.http.WardlineHttpException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A tabletop drill (issue 20, part 7) on a dev installation only: sets up a clearly marked drill account (and, for a
 * misdirected link, a synthetic file and a link from it), simulates the triggering report, opens a drill-marked
 * incident and contains it with the same services a real incident uses, and measures detection → opened → contained.
 * The drill incident never counts as a real one (ADR 0020v).
 */
public final class IncidentDrill {
    /** The rehearsals offered; each names the category its incident gets and the containment it rehearses. */
    public enum Scenario {
        /** A drill account's phone is reported lost: the account is suspended (sessions, devices, links ended). */
        LOST_DEVICE(IncidentCategory.LOST_DEVICE, ContainmentAction.SUSPEND_ACCOUNT),
        /** A drill file's link went to the wrong address: every live link to the file is revoked. */
        MISDIRECTED_LINK(IncidentCategory.MISDIRECTED_SHARE, ContainmentAction.REVOKE_FILE_LINKS);

        final IncidentCategory category;
        final ContainmentAction containment;

        Scenario(IncidentCategory category, ContainmentAction containment) {
            this.category = category;
            this.containment = containment;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static List<String> wireNames() {
            return Arrays.stream(values()).map(Scenario::wireName).toList();
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

    /** Called once a scenario is set up, before the timed response starts (a test opens the drill link there). */
    @FunctionalInterface
    interface AfterSetUp {
        AfterSetUp NOTHING = stage -> Future.succeededFuture();

        Future<Void> staged(DrillStage stage);
    }

    private final boolean devInstallation;
    private final Incidents incidents;
    private final Containment containment;
    private final DrillAccounts accounts;
    private final MisdirectedLinkSetUp misdirectedLink;

    IncidentDrill(boolean devInstallation, Incidents incidents, Containment containment, DrillAccounts accounts,
                  MisdirectedLinkSetUp misdirectedLink) {
        this.devInstallation = devInstallation;
        this.incidents = incidents;
        this.containment = containment;
        this.accounts = accounts;
        this.misdirectedLink = misdirectedLink;
    }

    public IncidentDrill(boolean devInstallation, Incidents incidents, Containment containment,
                         org.wardline.server.account.UserStore users, org.wardline.server.account.PasswordHasher hasher,
                         org.wardline.server.upload.SystemUploads uploads, org.wardline.server.sharelink.ShareLinks links) {
        this(devInstallation, incidents, containment, new DrillAccounts(users, hasher), new MisdirectedLinkSetUp(uploads, links));
    }

    /** Runs {@code scenario}; refused on anything but a dev installation, or for an unknown scenario, before anything is created. */
    public Future<JsonObject> run(String scenarioName, IncidentStore.Actor by) {
        return run(scenarioName, by, AfterSetUp.NOTHING);
    }

    Future<JsonObject> run(String scenarioName, IncidentStore.Actor by, AfterSetUp afterSetUp) {
        if (!devInstallation) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_DRILL_NOT_DEV));
        }
        Optional<Scenario> scenario = Scenario.parse(scenarioName);
        if (scenario.isEmpty()) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_DRILL_UNKNOWN_SCENARIO,
                    new JsonObject().put("scenarios", new JsonArray(Scenario.wireNames()))));
        }
        return accounts.create().compose(account -> setUp(scenario.get(), account))
                .compose(stage -> afterSetUp.staged(stage).compose(v -> rehearse(scenario.get(), stage, by)));
    }

    /** What is not timed: the response starts only once the scenario's world exists. */
    private Future<DrillStage> setUp(Scenario scenario, User account) {
        return switch (scenario) {
            case LOST_DEVICE -> Future.succeededFuture(new DrillStage(account, new Containment.Request(scenario.containment,
                    scenario.containment.objectType(), account.id().toString(), IncidentReason.DRILL, Optional.empty()),
                    new JsonObject(), Optional.empty()));
            case MISDIRECTED_LINK -> misdirectedLink.stage(account);
        };
    }

    /** The response itself, timed from the report: open the incident, contain it, mark it contained. */
    private Future<JsonObject> rehearse(Scenario scenario, DrillStage stage, IncidentStore.Actor by) {
        User user = stage.account();
        long detected = System.nanoTime();
        IncidentStore.Actor reported = by.now(incidents.clock());
        return incidents.openDrill(new Incidents.Report(scenario.category, IncidentSeverity.LOW, Optional.of(user.id()),
                Optional.of(reported.at())), reported).compose(opened -> {
            long openedAt = System.nanoTime();
            return containment.contain(opened.id(), stage.containment(), by.now(incidents.clock())).compose(done -> {
                long containedAt = System.nanoTime();
                return incidents.transition(opened.id(), IncidentStatus.CONTAINED, by.now(incidents.clock()))
                        .map(i -> new JsonObject().put("scenario", scenario.wireName()).put("incident", i.toJson())
                                .put("drillUser", new JsonObject().put("id", user.id().toString()).put("username", user.username()))
                                .put("staged", stage.staged())
                                .put("containment", done)
                                .put("revoked", new JsonObject().put("shareLinks",
                                        done.getJsonObject("result").getInteger("shareLinksRevoked", 0)))
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
