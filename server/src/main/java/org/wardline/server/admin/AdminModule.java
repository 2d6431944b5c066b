package org.wardline.server.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.Secret;
import org.wardline.server.ApiModule;
import org.wardline.server.audit.TrailEntries;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.custodian.CustodianHolds;
import org.wardline.server.device.DeviceRevocation;
import org.wardline.server.auth.dpop.BrowserDevicesOnly;
import org.wardline.server.http.PeerIdentity;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.pki.RevocationReason;
import org.wardline.server.rbac.Authorizer;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.Principal;
import org.wardline.server.rbac.RouteRegistry;
import org.wardline.server.report.AccessReviews;
import org.wardline.server.report.Disclosures;
import org.wardline.server.report.HipaaEvidence;
import org.wardline.server.retention.LegalHold;
import org.wardline.server.retention.RetentionKind;
import org.wardline.server.retention.RetentionStore;
import org.wardline.server.retention.RetentionSweep;
import org.wardline.server.http.RequestIds;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditOutcome;

import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.wardline.server.auth.JsonExchange.uuid;

/**
 * The admin API on both listeners (the CLI on an enrolled device, the web console as a browser device: ADR 0016c;
 * every change needs a fresh second factor): retention policies and legal holds, retention runs (and dry runs),
 * offboarding, device revocation, reports and the audit trail's search, export and verification. Every refusal is
 * answered with a stable code and audited. The retention job runs here on a Vert.x timer.
 */
public final class AdminModule implements ApiModule {
    private static final Logger LOG = LoggerFactory.getLogger(AdminModule.class);
    /** A legal matter reference: a short code such as {@code LIT-2026-014}; free text could carry PHI. */
    private static final Pattern MATTER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}");
    static final String BASE = "/v1/admin";

    private final Vertx vertx;
    private final WardlineConfig config;
    private final RetentionStore retention;
    private final RetentionSweep sweep;
    private final Offboarding offboarding;
    private final DeviceRevocation revocation;
    private final AccessReviews reviews;
    private final Disclosures disclosures;
    private final AdminAudit audit;
    private final AuditExport auditExport;
    private final TrailVerification trailVerification;
    private final CustodianHolds custodianHolds;
    private final AuditSearch auditSearch;

    public AdminModule(Vertx vertx, WardlineConfig config, RetentionStore retention, RetentionSweep sweep,
                       Offboarding offboarding, DeviceRevocation revocation, AccessReviews reviews, Disclosures disclosures,
                       AdminAudit audit, AuditExport auditExport, TrailVerification trailVerification,
                       CustodianHolds custodianHolds, AuditSearch auditSearch) {
        this.auditSearch = auditSearch;
        this.auditExport = auditExport;
        this.trailVerification = trailVerification;
        this.custodianHolds = custodianHolds;
        this.vertx = vertx;
        this.config = config;
        this.retention = retention;
        this.sweep = sweep;
        this.offboarding = offboarding;
        this.revocation = revocation;
        this.reviews = reviews;
        this.disclosures = disclosures;
        this.audit = audit;
    }

    public RetentionSweep sweep() {
        return sweep;
    }

    @Override
    public Future<Void> start() {
        vertx.setPeriodic(config.retention().interval().toMillis(), id -> sweep.scheduled()
                .onFailure(e -> LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName())
                        .log("scheduled retention run did not complete")));
        return Future.succeededFuture();
    }

    @Override
    public void mount(RouteRegistry routes) {
        // The same routes on the public listener serve the security officer's web console (a browser device, ADR 0016c).
        for (RouteRegistry.Listener d : RouteRegistry.Listener.values()) {
            routes.on(d, HttpMethod.GET, BASE + "/retention/policies").permission(Permission.RETENTION_MANAGE)
                    .handler(ctx -> handle(ctx, "retention_policies", () -> retention.policies().map(list -> {
                        JsonArray a = new JsonArray();
                        list.forEach(p -> a.add(p.toJson()));
                        return new JsonObject().put("policies", a);
                    })));
            routes.on(d, HttpMethod.PUT, BASE + "/retention/policies/:kind").permission(Permission.RETENTION_MANAGE).stepUp().json()
                    .handler(ctx -> handle(ctx, "retention_policy_set", () -> setPolicy(ctx)));
            routes.on(d, HttpMethod.DELETE, BASE + "/retention/policies/:kind").permission(Permission.RETENTION_MANAGE).stepUp()
                    .handler(ctx -> handle(ctx, "retention_policy_remove", () -> removePolicy(ctx)));
            routes.on(d, HttpMethod.POST, BASE + "/retention/dry-run").permission(Permission.RETENTION_MANAGE)
                    .handler(ctx -> handle(ctx, "retention_dry_run", () -> run(ctx, true)));
            routes.on(d, HttpMethod.POST, BASE + "/retention/run").permission(Permission.RETENTION_MANAGE).stepUp()
                    .handler(ctx -> handle(ctx, "retention_run", () -> run(ctx, false)));

            routes.on(d, HttpMethod.GET, BASE + "/legal-holds").permission(Permission.RETENTION_MANAGE)
                    .handler(ctx -> handle(ctx, "legal_holds", () -> retention.holds("true".equals(ctx.queryParams().get("active")))
                            .map(list -> {
                                JsonArray a = new JsonArray();
                                list.forEach(h -> a.add(h.toJson()));
                                return new JsonObject().put("holds", a);
                            })));
            routes.on(d, HttpMethod.POST, BASE + "/legal-holds").permission(Permission.RETENTION_MANAGE).stepUp().json()
                    .handler(ctx -> handle(ctx, "legal_hold_place", () -> placeHold(ctx)));
            routes.on(d, HttpMethod.POST, BASE + "/legal-holds/:holdId/release").permission(Permission.RETENTION_MANAGE).stepUp()
                    .handler(ctx -> handle(ctx, "legal_hold_release", () -> releaseHold(ctx)));

            routes.on(d, HttpMethod.POST, BASE + "/users/:userId/offboard").permission(Permission.USER_MANAGE).stepUp().json()
                    .handler(ctx -> handle(ctx, "user_offboard", () -> offboard(ctx)));
            routes.on(d, HttpMethod.POST, BASE + "/devices/:deviceId/revoke").permission(Permission.DEVICE_MANAGE).stepUp()
                    .handler(ctx -> handle(ctx, "device_revoke", () -> revokeDevice(ctx)));

            routes.on(d, HttpMethod.POST, BASE + "/reports/access-review").permission(Permission.USER_READ)
                    .handler(ctx -> handle(ctx, "access_review", () -> accessReview(ctx)));
            routes.on(d, HttpMethod.POST, BASE + "/reports/access-review/:reviewId/sign-off")
                    .permission(Permission.ACCESS_REVIEW_SIGN_OFF).stepUp().json()
                    .handler(ctx -> handle(ctx, "access_review_sign_off", () -> signOff(ctx)));
            routes.on(d, HttpMethod.POST, BASE + "/reports/disclosures").permission(Permission.AUDIT_READ).json()
                    .handler(ctx -> handle(ctx, "disclosures", () -> disclosures(ctx)));
            routes.on(d, HttpMethod.GET, BASE + "/reports/hipaa-evidence").permission(Permission.AUDIT_READ)
                    .handler(ctx -> handle(ctx, "hipaa_evidence", () -> evidence(ctx)));

            routes.on(d, HttpMethod.GET, BASE + "/audit/export").permission(Permission.AUDIT_EXPORT)
                    .handler(ctx -> handle(ctx, "audit_export", () -> exportAudit(ctx)));
            routes.on(d, HttpMethod.POST, BASE + "/audit/verify").permission(Permission.AUDIT_READ)
                    .handler(ctx -> handle(ctx, "audit_verify", () -> verifyAudit(ctx)));
            routes.on(d, HttpMethod.GET, BASE + "/audit/entries").permission(Permission.AUDIT_READ)
                    .handler(ctx -> handle(ctx, "audit_search", () -> searchAudit(ctx)));
            // A patient's contact goes in the body, not the query string, so no access log or proxy sees it.
            routes.on(d, HttpMethod.POST, BASE + "/audit/entries/by-contact").permission(Permission.AUDIT_READ).json()
                    .handler(ctx -> handle(ctx, "audit_search_contact", () -> searchAuditByContact(ctx)));
        }
        RouteRegistry.Listener d = RouteRegistry.Listener.DEVICE;
        routes.on(d, HttpMethod.GET, "/v1/legal-holds/custodian-requirements").permission(Permission.ENROLLED_DEVICE)
                .handler(ctx -> handle(ctx, "custodian_requirements", () -> custodian(ctx)));
        routes.on(d, HttpMethod.GET, "/v1/legal-holds/custodians").permission(Permission.ENROLLED_DEVICE)
                .handler(ctx -> handle(ctx, "custodian_devices", custodianHolds::custodianDevices));
        // The same for browser devices (ADR 0015), whose members take their part in holds as the Java clients do.
        RouteRegistry.Listener pub = RouteRegistry.Listener.PUBLIC;
        routes.on(pub, HttpMethod.GET, "/v1/legal-holds/custodian-requirements").permission(Permission.MESSAGE_READ)
                .handler(ctx -> handle(ctx, "custodian_requirements", () -> BrowserDevicesOnly.check(ctx)
                        .compose(v -> custodianHolds.requirements(Authorizer.principal(ctx).userId()))));
        routes.on(pub, HttpMethod.GET, "/v1/legal-holds/custodians").permission(Permission.MESSAGE_READ)
                .handler(ctx -> handle(ctx, "custodian_devices", () -> BrowserDevicesOnly.check(ctx)
                        .compose(v -> custodianHolds.custodianDevices())));
    }

    private Future<JsonObject> setPolicy(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        RetentionKind kind = kind(ctx);
        JsonObject body = body(ctx);
        UUID team = optionalUuid(body, "teamId");
        Object days = body.getValue("days");
        if (!(days instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new WardlineHttpException(ErrorCode.RETENTION_INVALID);
        }
        long value = n.longValue();
        org.wardline.server.retention.RetentionRules.check(kind, team, value);
        return retention.setPolicy(kind, team, (int) value, p.userId()).compose(change ->
                audit.success(ctx, p, AdminAudit.POLICY_SET, "retention", kind.wireName(), before(scope(team), change.daysBefore())
                                .put("days", change.policy().days()).build())
                        .recover(unaudited -> restorePolicy(kind, team, change.daysBefore(), p)
                                .transform(v -> Future.failedFuture(unaudited)))
                        .map(receipt -> change.policy().toJson()));
    }

    /** Puts back the policy held before a change whose entry could not be written (none: removes it). */
    private Future<?> restorePolicy(RetentionKind kind, UUID team, Optional<Integer> before, Principal p) {
        return before.<Future<?>>map(days -> retention.setPolicy(kind, team, days, p.userId()))
                .orElseGet(() -> retention.removePolicy(kind, team));
    }

    private static AuditDetails.Builder before(AuditDetails.Builder details, Optional<Integer> daysBefore) {
        details.put("hadPolicyBefore", daysBefore.isPresent());
        daysBefore.ifPresent(d -> details.put("daysBefore", d.longValue()));
        return details;
    }

    private Future<JsonObject> removePolicy(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        RetentionKind kind = kind(ctx);
        String teamParam = ctx.queryParams().get("teamId");
        UUID team = teamParam == null ? null : uuid(teamParam);
        return retention.removePolicy(kind, team).compose(removed -> {
            if (removed.isEmpty()) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
            }
            return audit.success(ctx, p, AdminAudit.POLICY_REMOVED, "retention", kind.wireName(), before(scope(team), removed).build())
                    .recover(unaudited -> restorePolicy(kind, team, removed, p).transform(v -> Future.failedFuture(unaudited)))
                    .map(receipt -> new JsonObject().put("kind", kind.wireName()).put("removed", true));
        });
    }

    private Future<JsonObject> run(RoutingContext ctx, boolean dryRun) {
        Principal p = Authorizer.principal(ctx);
        return sweep.run(dryRun, p.userId(), p.deviceId(), RequestIds.of(ctx)).map(r -> r.toJson())
                .recover(e -> Future.failedFuture(e instanceof IllegalStateException
                        ? new WardlineHttpException(ErrorCode.CONFLICT) : e));
    }

    private Future<JsonObject> placeHold(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        JsonObject body = body(ctx);
        LegalHold.Scope scope = LegalHold.Scope.parse(body.getString("scope"))
                .orElseThrow(() -> new WardlineHttpException(ErrorCode.BAD_REQUEST));
        Object subject = body.getValue("subjectId");
        String matter = body.getValue("matter") instanceof String m ? m : null;
        if (subject == null || matter == null || !MATTER.matcher(matter).matches()) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
        boolean custodian = Boolean.TRUE.equals(body.getValue("custodianRequired"));
        Optional<UUID> named = Optional.ofNullable(optionalUuid(body, "custodianUserId"));
        return custodianHolds.custodianFor(custodian, named)
                .compose(custodianUser -> retention.placeHold(scope, String.valueOf(subject), matter, custodianUser, p.userId()))
                .compose(h -> {
                    AuditDetails.Builder details = AuditDetails.builder().putCode("scope", scope.wireName())
                            .putCode("subject", h.subject()).putCode("matter", matter).put("custodianRequired", custodian);
                    h.custodian().ifPresent(c -> details.put("custodian", c));
                    return audit.success(ctx, p, AdminAudit.HOLD_PLACED, "legal_hold", h.id().toString(), details.build())
                            .compose(receipt -> custodianHolds.changed(h,
                                    org.wardline.protocol.mls.DeviceUri.of(p.userId(), p.deviceId())))
                            .map(n -> h.toJson().put("conversationsNotified", n));
                });
    }

    private Future<JsonObject> releaseHold(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("holdId"));
        return retention.releaseHold(id, p.userId()).compose(h -> {
            return audit.success(ctx, p, AdminAudit.HOLD_RELEASED, "legal_hold", id.toString(), AuditDetails.builder()
                            .putCode("scope", h.scope().wireName()).putCode("subject", h.subject()).build())
                    .compose(receipt -> custodianHolds.changed(h,
                            org.wardline.protocol.mls.DeviceUri.of(p.userId(), p.deviceId())))
                    .map(n -> h.toJson().put("conversationsNotified", n));
        });
    }

    private Future<JsonObject> offboard(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID user = uuid(ctx.pathParam("userId"));
        Optional<UUID> heir = Optional.ofNullable(optionalUuid(body(ctx), "transferFilesTo"));
        return offboarding.offboard(user, heir, p.userId()).compose(r -> {
            AuditDetails.Builder d = AuditDetails.builder().put("sessionsEnded", r.sessionsEnded())
                    .put("devicesRevoked", r.devicesRevoked()).put("shareLinksRevoked", r.shareLinksRevoked())
                    .put("filesKept", r.filesKept()).put("filesTransferred", r.filesTransferred());
            heir.ifPresent(h -> d.put("transferredTo", h));
            return audit.success(ctx, p, AdminAudit.OFFBOARDED, "user", user.toString(), d.build()).map(receipt -> r.toJson());
        });
    }

    private Future<JsonObject> revokeDevice(RoutingContext ctx) {
        UUID device = uuid(ctx.pathParam("deviceId"));
        return revocation.revoke(device, RevocationReason.ADMIN).compose(revoked -> revoked
                ? Future.succeededFuture(new JsonObject().put("deviceId", device.toString()).put("revoked", true))
                : Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND)));
    }

    private Future<Object> accessReview(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        boolean csv = csv(ctx);
        return reviews.generate(p.userId()).compose(r -> audit.success(ctx, p, AdminAudit.REVIEW_GENERATED,
                        "access_review", r.id().toString(), AuditDetails.builder()
                                .put("users", r.users().size()).putCode("sha256", r.sha256()).build())
                .map(receipt -> csv ? csvAnswer(ctx, r.toCsv()) : r.toJson()));
    }

    private Future<JsonObject> signOff(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID review = uuid(ctx.pathParam("reviewId"));
        String decision = body(ctx).getValue("decision") instanceof String s ? s : "";
        AccessReviews.Decision parsed = switch (decision) {
            case "approved" -> AccessReviews.Decision.APPROVED;
            case "changes_required" -> AccessReviews.Decision.CHANGES_REQUIRED;
            default -> throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        };
        return reviews.signOff(review, p.userId(), parsed).compose(j -> audit.success(ctx, p, AdminAudit.REVIEW_SIGNED,
                        "access_review", review.toString(), AuditDetails.builder()
                                .putCode("decision", decision).putCode("sha256", j.getString("reportSha256"))
                                .put("users", j.getInteger("usersReviewed")).build())
                .map(receipt -> j));
    }

    private Future<Object> disclosures(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        Object recipient = body(ctx).getValue("recipient");
        if (!(recipient instanceof String r) || r.isBlank() || r.length() > 320) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
        boolean csv = csv(ctx);
        return disclosures.forRecipient(Secret.of(r)).compose(entries -> audit.success(ctx, p,
                        AdminAudit.DISCLOSURES_REPORTED, null, null, AuditDetails.builder().put("entries", entries.size()).build())
                .map(receipt -> csv ? csvAnswer(ctx, Disclosures.toCsv(entries)) : Disclosures.toJson(entries)));
    }

    private Future<Object> evidence(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        boolean csv = csv(ctx);
        return retention.auditDays().compose(days -> audit.success(ctx, p, AdminAudit.EVIDENCE_REPORTED, null, null,
                        AuditDetails.empty())
                .map(receipt -> csv ? csvAnswer(ctx, HipaaEvidence.toCsv(config, days)) : HipaaEvidence.toJson(config, days)));
    }

    private Future<Object> exportAudit(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        var q = ctx.queryParams();
        AuditExport.Range range = AuditExport.range(q.get("from"), q.get("to"), q.get("format"));
        return audit.record(ctx, p, TrailEntries.exportRequested(TrailEntries.Via.API, null, range.from(), range.to(), range.format()))
                .compose(asked -> auditExport.export(range))
                .compose(e -> audit.record(ctx, p, TrailEntries.exported(TrailEntries.Via.API, null, range.from(), range.to(),
                                range.format(), e.entries()))
                .map(receipt -> new Download(e.format() == org.wardline.storage.audit.ExportFormat.CSV ? "text/csv; charset=utf-8"
                    : "application/x-ndjson", io.vertx.core.buffer.Buffer.buffer(e.content()))));
    }

    /** Finds entries; the search itself is recorded (which filters, how many entries shown) before the answer goes out. */
    private Future<JsonObject> searchAudit(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        AuditSearch.Query query = AuditSearch.query(ctx.queryParams());
        return auditSearch.search(query).compose(found -> audit.success(ctx, p, AdminAudit.AUDIT_SEARCHED, null, null,
                        AuditDetails.builder().putCode("filters", query.given().isEmpty() ? "none" : String.join(".", query.given()))
                                .put("entries", found.getJsonArray("entries").size()).build())
                .map(receipt -> found));
    }

    /** The entries of the links sent to one contact; recorded like any search, with neither the contact nor its hash. */
    private Future<JsonObject> searchAuditByContact(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        AuditSearch.ContactQuery query = AuditSearch.contactQuery(body(ctx));
        return auditSearch.search(query).compose(found -> audit.success(ctx, p, AdminAudit.AUDIT_SEARCHED, null, null,
                        AuditDetails.builder().putCode("filters", String.join(".", query.given()))
                                .put("entries", found.getJsonArray("entries").size()).build())
                .map(receipt -> found));
    }

    /** Verifies the whole trail; the answer is given only once the verification is itself in the trail. */
    private Future<JsonObject> verifyAudit(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        return trailVerification.verify().compose(report -> audit.record(ctx, p, TrailEntries.verified(TrailEntries.Via.API, null, report))
                .map(receipt -> {
                    JsonObject out = new JsonObject().put("intact", report.valid()).put("entriesChecked", report.entriesChecked())
                            .put("checkpointsChecked", report.checkpointsChecked()).put("lastSeq", report.lastSeq())
                            .put("summary", report.summary());
                    report.failure().ifPresent(f -> out.put("firstBadSeq", f.seq()).put("problem", f.problem().name()));
                    return out;
                }));
    }

    private Future<JsonObject> custodian(RoutingContext ctx) {
        return custodianHolds.requirements(PeerIdentity.of(ctx).userId());
    }

    /**
     * Runs {@code work} and answers; a refusal (bad input, unknown subject, conflict) is audited with its code and
     * the operation's name, never with the request's content.
     */
    private void handle(RoutingContext ctx, String operation, Supplier<Future<?>> work) {
        Future<?> answer;
        try {
            answer = work.get();
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        answer.onSuccess(v -> {
            if (ctx.response().ended()) {
                return;
            }
            if (v instanceof Download c) {
                ctx.response().putHeader("Content-Type", c.contentType()).putHeader("Cache-Control", "no-store")
                        .end(c.body());
            } else {
                ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                        .end(((JsonObject) v).encode());
            }
        }).onFailure(e -> {
            ErrorCode code = e instanceof WardlineHttpException w ? w.code() : ErrorCode.INTERNAL;
            Principal p = ctx.get(Authorizer.PRINCIPAL);
            if (code == ErrorCode.AUDIT_UNAVAILABLE) {
                ctx.fail(e);
                return;
            }
            audit.record(ctx, p, AdminAudit.REFUSED, code == ErrorCode.INTERNAL ? AuditOutcome.FAILURE : AuditOutcome.DENIED,
                    null, null, AuditDetails.builder().putCode("operation", operation).putCode("error", code.code()).build())
                    .onComplete(v -> ctx.fail(e));
        });
    }

    /** A non-JSON answer: a CSV report or an audit export. */
    private record Download(String contentType, io.vertx.core.buffer.Buffer body) {
    }

    private static Download csvAnswer(RoutingContext ctx, String text) {
        return new Download("text/csv; charset=utf-8", io.vertx.core.buffer.Buffer.buffer(text));
    }

    private static boolean csv(RoutingContext ctx) {
        String f = ctx.queryParams().get("format");
        if (f == null || f.equals("json")) {
            return false;
        }
        if (f.equals("csv")) {
            return true;
        }
        throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
    }

    private static RetentionKind kind(RoutingContext ctx) {
        return RetentionKind.parse(ctx.pathParam("kind")).orElseThrow(() -> new WardlineHttpException(ErrorCode.RETENTION_INVALID));
    }

    private static AuditDetails.Builder scope(UUID team) {
        AuditDetails.Builder b = AuditDetails.builder().putCode("scope", team == null ? "organisation" : "team");
        if (team != null) {
            b.put("teamId", team);
        }
        return b;
    }

    /** The JSON body; an empty body is an empty object (offboarding without options). */
    private static JsonObject body(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().length() <= 0) {
            return new JsonObject();
        }
        return org.wardline.server.auth.JsonExchange.body(ctx);
    }

    private static UUID optionalUuid(JsonObject body, String key) {
        Object v = body.getValue(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
        return uuid(s);
    }
}
