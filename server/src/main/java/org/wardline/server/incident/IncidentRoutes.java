package org.wardline.server.incident;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
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

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static org.wardline.server.auth.JsonExchange.uuid;

/**
 * {@code /v1/admin/incidents…} on the device listener, for the security officer only: open (by hand or from an
 * alert), list, show with the timeline, move through the statuses, give to another owner, contain. Every change
 * needs a fresh second factor; every operation, and every refusal with its code, is in the audit trail.
 */
public final class IncidentRoutes implements ApiModule {
    static final String BASE = "/v1/admin/incidents";
    public static final AuditAction OPENED = new AuditAction("incident.opened");
    public static final AuditAction LISTED = new AuditAction("incident.listed");
    public static final AuditAction VIEWED = new AuditAction("incident.viewed");
    public static final AuditAction STATUS_CHANGED = new AuditAction("incident.status.changed");
    public static final AuditAction ASSIGNED = new AuditAction("incident.assigned");
    public static final AuditAction REFUSED = new AuditAction("incident.request.refused");
    public static final AuditAction ASSESSED = new AuditAction("incident.assessment.recorded");
    public static final AuditAction NOTIFICATION_RECORDED = new AuditAction("incident.notification.recorded");
    public static final AuditAction SCOPE_SET = new AuditAction("incident.scope.set");
    public static final AuditAction DISCLOSURES_LISTED = new AuditAction("incident.disclosures.listed");
    public static final AuditAction EVIDENCE_SEALED = new AuditAction("incident.evidence.sealed");
    public static final AuditAction LESSONS_RECORDED = new AuditAction("incident.lessons.recorded");
    public static final AuditAction REPORTED = new AuditAction("incident.reported");
    public static final AuditAction DRILL_RUN = new AuditAction("incident.drill.run");
    /** What an incident taught, as codes (the report's narrative is written by people outside the system). */
    static final java.util.Set<String> LESSONS = java.util.Set.of("detection_worked", "detection_late", "containment_slow",
            "training_gap", "policy_gap", "access_too_broad", "technical_control_gap", "vendor_issue", "process_followed", "drill_needed");
    /** How often the notification clock looks for reminders due (they are days apart). */
    static final java.time.Duration REMINDER_CHECK = java.time.Duration.ofMinutes(15);

    private final io.vertx.core.Vertx vertx;
    private final Incidents incidents;
    private final Containment containment;
    private final NotificationClock reminders;
    private final IncidentDisclosures disclosures;
    private final EvidenceSealing evidence;
    private final IncidentReport reports;
    private final AdminAudit audit;
    private final IncidentDrill drill;

    public IncidentRoutes(io.vertx.core.Vertx vertx, Incidents incidents, Containment containment, NotificationClock reminders,
                          IncidentDisclosures disclosures, EvidenceSealing evidence, IncidentReport reports, AdminAudit audit,
                          IncidentDrill drill) {
        this.drill = drill;
        this.evidence = evidence;
        this.reports = reports;
        this.disclosures = disclosures;
        this.vertx = vertx;
        this.incidents = incidents;
        this.containment = containment;
        this.reminders = reminders;
        this.audit = audit;
    }

    /** The drills this module runs (tests run one with a pause between set-up and response). */
    IncidentDrill drills() {
        return drill;
    }

    public NotificationClock reminders() {
        return reminders;
    }

    @Override
    public Future<Void> start() {
        reminders.schedule(vertx, REMINDER_CHECK);
        return Future.succeededFuture();
    }

    @Override
    public void mount(RouteRegistry routes) {
        Permission m = Permission.INCIDENT_MANAGE;
        // Both listeners: the CLI on an enrolled device, the security console as a browser device (ADR 0016c).
        for (RouteRegistry.Listener d : RouteRegistry.Listener.values()) {
            routes.on(d, HttpMethod.GET, BASE).permission(m).handler(ctx -> handle(ctx, "incident_list", () -> list(ctx)));
            routes.on(d, HttpMethod.POST, BASE).permission(m).stepUp().json().handler(ctx -> handle(ctx, "incident_open", () -> open(ctx)));
            routes.on(d, HttpMethod.POST, BASE + "/drills").permission(m).stepUp().json()
                    .handler(ctx -> handle(ctx, "incident_drill", () -> drill(ctx)));
            routes.on(d, HttpMethod.GET, BASE + "/:incidentId").permission(m).handler(ctx -> handle(ctx, "incident_show", () -> show(ctx)));
            routes.on(d, HttpMethod.POST, BASE + "/:incidentId/status").permission(m).stepUp().json()
                    .handler(ctx -> handle(ctx, "incident_status", () -> status(ctx)));
            routes.on(d, HttpMethod.POST, BASE + "/:incidentId/owner").permission(m).stepUp().json()
                    .handler(ctx -> handle(ctx, "incident_assign", () -> assign(ctx)));
            routes.on(d, HttpMethod.POST, BASE + "/:incidentId/containments").permission(m).stepUp().json()
                    .handler(ctx -> handle(ctx, "incident_contain", () -> contain(ctx)));
            routes.on(d, HttpMethod.POST, BASE + "/:incidentId/assessment").permission(m).stepUp().json()
                    .handler(ctx -> handle(ctx, "incident_assess", () -> assess(ctx)));
            routes.on(d, HttpMethod.POST, BASE + "/:incidentId/notifications").permission(m).stepUp().json()
                    .handler(ctx -> handle(ctx, "incident_notification", () -> notification(ctx)));
            routes.on(d, HttpMethod.POST, BASE + "/:incidentId/scope").permission(m).stepUp().json()
                    .handler(ctx -> handle(ctx, "incident_scope", () -> scope(ctx)));
            routes.on(d, HttpMethod.GET, BASE + "/:incidentId/disclosures").permission(m)
                    .handler(ctx -> handle(ctx, "incident_disclosures", () -> disclosures(ctx)));
            routes.on(d, HttpMethod.POST, BASE + "/:incidentId/evidence").permission(m).stepUp()
                    .handler(ctx -> handle(ctx, "incident_evidence", () -> evidence(ctx)));
            routes.on(d, HttpMethod.POST, BASE + "/:incidentId/lessons").permission(m).stepUp().json()
                    .handler(ctx -> handle(ctx, "incident_lessons", () -> lessons(ctx)));
            routes.on(d, HttpMethod.GET, BASE + "/:incidentId/report").permission(m)
                    .handler(ctx -> handle(ctx, "incident_report", () -> report(ctx)));
        }
    }

    private Future<JsonObject> drill(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        // No scenario named is an unknown one: the refusal lists those there are.
        String scenario = optionalCode(body(ctx), "scenario").orElse("");
        return drill.run(scenario, actor(p)).compose(r -> {
            JsonObject times = r.getJsonObject("times");
            return audit.success(ctx, p, DRILL_RUN, "incident", r.getJsonObject("incident").getString("id"), AuditDetails.builder()
                    .putCode("scenario", r.getString("scenario")).put("detectionToOpenedMs", times.getLong("detectionToOpenedMs"))
                    .put("openedToContainedMs", times.getLong("openedToContainedMs"))
                    .put("shareLinksRevoked", r.getJsonObject("revoked").getInteger("shareLinks")).build()).map(receipt -> r);
        });
    }

    private Future<JsonObject> lessons(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("incidentId"));
        Object given = body(ctx).getValue("lessons");
        if (!(given instanceof JsonArray a) || a.isEmpty() || !a.stream().allMatch(l -> l instanceof String s && LESSONS.contains(s))) {
            throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
        }
        JsonArray lessons = new JsonArray(a.stream().distinct().sorted().toList());
        return incidents.store().record(id, actor(p), new IncidentStore.Step("lessons.recorded", "incident", id.toString(), null,
                        new JsonObject().put("lessons", lessons)))
                .compose(entry -> audit.success(ctx, p, LESSONS_RECORDED, "incident", id.toString(), AuditDetails.builder()
                        .putCodes("lessons", lessons.stream().map(String::valueOf).toList()).build())
                        .map(receipt -> new JsonObject().put("lessons", lessons).put("timelineEntry", entry)));
    }

    private Future<JsonObject> report(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("incidentId"));
        return incidents.get(id).compose(i -> reports.signed(i, incidents.clock().instant()))
                .compose(r -> audit.success(ctx, p, REPORTED, "incident", id.toString(), AuditDetails.empty()).map(receipt -> r));
    }

    private Future<JsonObject> evidence(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("incidentId"));
        IncidentStore.Actor by = actor(p);
        return incidents.get(id).compose(i -> incidents.store().scope(i, by.at()).compose(scope -> evidence.seal(i, scope, by)))
                .compose(sealed -> audit.success(ctx, p, EVIDENCE_SEALED, "incident", id.toString(), AuditDetails.builder()
                        .putCode("sha256", sealed.getString("sha256")).put("entries", sealed.getInteger("entries"))
                        .put("holdsPlaced", sealed.getInteger("holdsPlaced")).build()).map(receipt -> sealed));
    }

    private Future<JsonObject> scope(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("incidentId"));
        IncidentScope scope = IncidentScope.parse(body(ctx));
        return incidents.store().setScope(id, scope, actor(p)).compose(s -> audit.success(ctx, p, SCOPE_SET, "incident", id.toString(),
                AuditDetails.builder().put("users", s.users().size()).put("devices", s.devices().size())
                        .put("files", s.files().size()).put("links", s.links().size()).build()).map(receipt -> s.toJson()));
    }

    private Future<JsonObject> disclosures(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("incidentId"));
        return incidents.get(id).compose(i -> incidents.store().scope(i, incidents.clock().instant()))
                .compose(disclosures::within)
                .compose(report -> audit.success(ctx, p, DISCLOSURES_LISTED, "incident", id.toString(), AuditDetails.builder()
                                .put("patients", report.getJsonObject("totals").getInteger("patients"))
                                .put("files", report.getJsonObject("totals").getInteger("files")).build())
                        .map(receipt -> report.put("incidentId", id.toString())));
    }

    private Future<JsonObject> assess(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("incidentId"));
        JsonObject body = body(ctx);
        return incidents.breach().assess(id, body, actor(p)).compose(i -> incidents.breach().assessment(incidents.store().pool(), id)
                .compose(a -> audit.success(ctx, p, ASSESSED, "incident", id.toString(), AuditDetails.builder()
                                .putCode("conclusion", a.orElseThrow().conclusion().wireName())
                                .put("affectedIndividuals", a.orElseThrow().affectedIndividuals()).build())
                        .map(receipt -> i.toJson().put("assessment", a.orElseThrow().toJson(i.discoveredAt(), incidents.clock().instant())))));
    }

    private Future<JsonObject> notification(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("incidentId"));
        return incidents.breach().notified(id, body(ctx), actor(p)).compose(n -> audit.success(ctx, p, NOTIFICATION_RECORDED,
                "incident", id.toString(), AuditDetails.builder().putCode("recipient", n.getString("recipient"))
                        .putCode("method", n.getString("method")).put("notified", n.getInteger("notified")).build())
                .map(receipt -> n));
    }

    private Future<JsonObject> list(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        String s = ctx.queryParams().get("status");
        IncidentStatus status = s == null ? null
                : IncidentStatus.parse(s).orElseThrow(() -> new WardlineHttpException(ErrorCode.INCIDENT_INVALID));
        String drills = ctx.queryParams().get("drills");
        if (drills != null && !drills.equals("true") && !drills.equals("false")) {
            throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
        }
        return incidents.list(status, "true".equals(drills)).compose(list -> audit.success(ctx, p, LISTED, null, null,
                AuditDetails.builder().put("incidents", list.size()).build()).map(receipt -> {
                    JsonArray a = new JsonArray();
                    list.forEach(i -> a.add(i.toJson()));
                    return new JsonObject().put("incidents", a);
                }));
    }

    private Future<JsonObject> open(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        JsonObject body = body(ctx);
        IncidentStore.Actor by = actor(p);
        Optional<IncidentSeverity> severity = optionalCode(body, "severity").map(v -> IncidentSeverity.parse(v)
                .orElseThrow(() -> new WardlineHttpException(ErrorCode.INCIDENT_INVALID)));
        Future<Incident> opened;
        if (body.containsKey("alertId")) {
            opened = incidents.openFromAlert(uuidField(body, "alertId"), severity, by);
        } else {
            IncidentCategory category = optionalCode(body, "category").flatMap(IncidentCategory::parse)
                    .orElseThrow(() -> new WardlineHttpException(ErrorCode.INCIDENT_INVALID));
            Optional<Instant> discovered = optionalCode(body, "discoveredAt").map(IncidentRoutes::instant);
            Optional<UUID> subject = body.containsKey("subjectUserId") ? Optional.of(uuidField(body, "subjectUserId")) : Optional.empty();
            opened = incidents.open(new Incidents.Report(category, severity.orElseThrow(
                    () -> new WardlineHttpException(ErrorCode.INCIDENT_INVALID)), subject, discovered), by);
        }
        return opened.compose(i -> {
            AuditDetails.Builder d = AuditDetails.builder().putCode("reference", i.reference())
                    .putCode("category", i.category().wireName()).putCode("severity", i.severity().wireName());
            if (i.alertId() != null) {
                d.put("alertId", i.alertId());
            }
            return audit.success(ctx, p, OPENED, "incident", i.id().toString(), d.build()).map(receipt -> i.toJson());
        });
    }

    private Future<JsonObject> show(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("incidentId"));
        BreachRecords breach = incidents.breach();
        return incidents.get(id).compose(i -> Future.all(incidents.timeline(id), containment.containments(id),
                breach.assessment(incidents.store().pool(), id), breach.notifications(id)).compose(all ->
                audit.success(ctx, p, VIEWED, "incident", id.toString(), AuditDetails.empty()).map(receipt -> {
                    JsonArray timeline = new JsonArray();
                    all.<List<TimelineEntry>>resultAt(0).forEach(e -> timeline.add(e.toJson()));
                    Optional<BreachAssessment> a = all.resultAt(2);
                    return i.toJson().put("timeline", timeline).put("containments", all.<JsonArray>resultAt(1))
                            .put("assessment", a.map(x -> x.toJson(i.discoveredAt(), incidents.clock().instant())).orElse(null))
                            .put("notifications", all.<JsonArray>resultAt(3));
                })));
    }

    private Future<JsonObject> status(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("incidentId"));
        IncidentStatus to = optionalCode(body(ctx), "status").flatMap(IncidentStatus::parse)
                .orElseThrow(() -> new WardlineHttpException(ErrorCode.INCIDENT_INVALID));
        return incidents.transition(id, to, actor(p)).compose(i -> audit.success(ctx, p, STATUS_CHANGED, "incident",
                id.toString(), AuditDetails.builder().putCode("status", to.wireName()).build()).map(receipt -> i.toJson()));
    }

    private Future<JsonObject> assign(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("incidentId"));
        UUID owner = uuidField(body(ctx), "ownerId");
        return incidents.assign(id, owner, actor(p)).compose(i -> audit.success(ctx, p, ASSIGNED, "incident", id.toString(),
                AuditDetails.builder().put("ownerId", owner).build()).map(receipt -> i.toJson()));
    }

    private Future<JsonObject> contain(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("incidentId"));
        Containment.Request request = Containment.Request.parse(body(ctx));
        return containment.contain(id, request, actor(p)).compose(done -> audit.success(ctx, p, Containment.CONTAINED,
                "incident", id.toString(), AuditDetails.builder().putCode("action", request.action().wireName())
                        .putCode("objectType", request.objectType()).putCode("object", request.objectId())
                        .putCode("reason", request.reason().wireName()).build()).map(receipt -> done));
    }

    private IncidentStore.Actor actor(Principal p) {
        return new IncidentStore.Actor(p.userId(), p.deviceId(), incidents.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    /**
     * Runs {@code work} and answers; a refusal is audited with its code and the operation's name, never with the
     * request's content.
     */
    private void handle(RoutingContext ctx, String operation, Supplier<Future<JsonObject>> work) {
        Future<JsonObject> answer;
        try {
            answer = work.get();
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        answer.onSuccess(v -> ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(v.encode())).onFailure(e -> {
            ErrorCode code = e instanceof WardlineHttpException w ? w.code() : ErrorCode.INTERNAL;
            if (code == ErrorCode.AUDIT_UNAVAILABLE) {
                ctx.fail(e);
                return;
            }
            audit.record(ctx, ctx.get(Authorizer.PRINCIPAL), REFUSED, code == ErrorCode.INTERNAL ? AuditOutcome.FAILURE : AuditOutcome.DENIED,
                    null, null, AuditDetails.builder().putCode("operation", operation).putCode("error", code.code()).build())
                    .onComplete(v -> ctx.fail(e));
        });
    }

    static JsonObject body(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().length() <= 0) {
            return new JsonObject();
        }
        return org.wardline.server.auth.JsonExchange.body(ctx);
    }

    static Optional<String> optionalCode(JsonObject body, String key) {
        Object v = body.getValue(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s) || s.length() > 64) {
            throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
        }
        return Optional.of(s);
    }

    static UUID uuidField(JsonObject body, String key) {
        return body.getValue(key) instanceof String s ? uuid(s) : failInvalid();
    }

    private static <T> T failInvalid() {
        throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
    }

    private static Instant instant(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
        }
    }
}
