package org.wardline.server.incident;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The breach risk assessment of 45 CFR 164.402(2), as the officer answered it: for each of the four factors the codes
 * that describe it and a risk level, then the conclusion, the individuals affected (in total and by state of
 * residence) and the notification deadline. Everything is a code or a number (ADR 0020s). What the answers require
 * (whom to notify, by when) is derived here, so the API, the reminders and the report agree.
 */
public record BreachAssessment(JsonObject factors, Conclusion conclusion, int affectedIndividuals,
                               Map<String, Integer> residentsByState, Instant deadline) {
    /** 45 CFR 164.404(b): without unreasonable delay and in no case later than 60 calendar days after discovery. */
    public static final Duration NOTIFICATION_LIMIT = Duration.ofDays(60);
    /** 164.408(b): 500 or more individuals, HHS is told with the individuals; fewer, in the annual log. */
    public static final int HHS_IMMEDIATE = 500;
    /** 164.406(a): more than 500 residents of a State or jurisdiction, prominent media outlets there too. */
    public static final int MEDIA_ABOVE = 500;

    private static final Pattern STATE = Pattern.compile("[A-Z]{2}");
    private static final Set<String> RISKS = Set.of("low", "medium", "high");
    private static final Map<String, Factor> FACTORS = Map.of(
            "natureAndExtent", new Factor("phiTypes", true, Set.of("demographic", "contact", "identifier", "ssn", "financial",
                    "clinical", "diagnosis", "medication", "lab_result", "imaging", "mental_health", "substance_use", "genetic",
                    "sexual_health", "insurance")),
            "recipient", new Factor("kind", false, Set.of("workforce_member", "covered_entity", "business_associate",
                    "wrong_patient", "known_external", "unknown_external", "public", "unknown")),
            "acquiredOrViewed", new Factor("finding", false, Set.of("not_opened", "opened", "viewed", "downloaded", "unknown")),
            "mitigation", new Factor("measures", true, Set.of("account_suspended", "device_revoked", "device_wiped",
                    "links_revoked", "recipient_attested_destruction", "recipient_returned", "legal_hold", "none")));

    public enum Conclusion {
        /** A breach: notifications are due. */
        BREACH,
        /** Not a breach by one of the exceptions of 164.402(1) (e.g. good-faith access by a workforce member). */
        NOT_BREACH,
        /** A low probability that the PHI was compromised, shown by the four factors: no notification. */
        LOW_PROBABILITY;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Conclusion parse(String s) {
            for (Conclusion c : values()) {
                if (c.wireName().equals(s)) {
                    return c;
                }
            }
            throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
        }
    }

    private record Factor(String field, boolean many, Set<String> codes) {
    }

    /** Reads and checks the officer's answers for an incident discovered at {@code discovered}, at {@code now}. */
    public static BreachAssessment parse(JsonObject body, Instant discovered, Instant now) {
        if (!(body.getValue("factors") instanceof JsonObject given) || !given.fieldNames().equals(FACTORS.keySet())) {
            throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
        }
        JsonObject factors = new JsonObject();
        boolean anyHigh = false;
        for (Map.Entry<String, Factor> f : new TreeMap<>(FACTORS).entrySet()) {
            if (!(given.getValue(f.getKey()) instanceof JsonObject answer) || !(answer.getValue("risk") instanceof String risk)
                    || !RISKS.contains(risk) || answer.size() != 2) {
                throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
            }
            Factor factor = f.getValue();
            Object codes = answer.getValue(factor.field());
            List<?> list = factor.many() && codes instanceof JsonArray a ? a.getList() : List.of(codes == null ? 0 : codes);
            if (list.isEmpty() || list.size() > factor.codes().size() || !list.stream().allMatch(c -> c instanceof String s
                    && factor.codes().contains(s)) || factor.many() != (codes instanceof JsonArray)) {
                throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
            }
            anyHigh |= risk.equals("high");
            factors.put(f.getKey(), new JsonObject().put(factor.field(), codes).put("risk", risk));
        }
        Conclusion conclusion = Conclusion.parse(body.getValue("conclusion") instanceof String c ? c : "");
        int affected = count(body.getValue("affectedIndividuals"));
        Map<String, Integer> states = new TreeMap<>();
        if (body.getValue("residentsByState") instanceof JsonObject byState) {
            for (String state : byState.fieldNames()) {
                if (!STATE.matcher(state).matches()) {
                    throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
                }
                states.put(state, count(byState.getValue(state)));
            }
        } else if (body.getValue("residentsByState") != null) {
            throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
        }
        if ((conclusion == Conclusion.LOW_PROBABILITY && anyHigh)
                || states.values().stream().mapToLong(Integer::longValue).sum() > affected) {
            throw new WardlineHttpException(ErrorCode.INCIDENT_ASSESSMENT_INCONSISTENT);
        }
        Instant latest = discovered.plus(NOTIFICATION_LIMIT);
        Instant deadline = latest;
        if (body.getValue("deadline") != null) {
            try {
                deadline = Instant.parse(String.valueOf(body.getValue("deadline")));
            } catch (DateTimeParseException e) {
                throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
            }
            if (!deadline.isAfter(now) || deadline.isAfter(latest)) {
                throw new WardlineHttpException(ErrorCode.INCIDENT_DEADLINE_PAST);
            }
        }
        return new BreachAssessment(factors, conclusion, affected, Map.copyOf(states), deadline);
    }

    private static int count(Object v) {
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 0 || n.longValue() > 100_000_000) {
            throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
        }
        return n.intValue();
    }

    public boolean notificationRequired() {
        return conclusion == Conclusion.BREACH;
    }

    /** The states with more than 500 affected residents, whose media must be notified. */
    public List<String> mediaStates() {
        return notificationRequired() ? residentsByState.entrySet().stream().filter(e -> e.getValue() > MEDIA_ABOVE)
                .map(Map.Entry::getKey).sorted().toList() : List.of();
    }

    public boolean hhsWithIndividuals() {
        return notificationRequired() && affectedIndividuals >= HHS_IMMEDIATE;
    }

    /** The recipients whose notification must be recorded before the incident counts as notified. */
    public Set<String> requiredRecipients() {
        if (!notificationRequired()) {
            return Set.of();
        }
        java.util.Set<String> r = new java.util.TreeSet<>();
        r.add("individuals");
        if (hhsWithIndividuals()) {
            r.add("hhs");
        }
        if (!mediaStates().isEmpty()) {
            r.add("media");
        }
        return r;
    }

    /** Fewer than 500: HHS hears of it in the annual log, due 60 days after the end of the calendar year of discovery. */
    public static LocalDate annualLogDue(Instant discovered) {
        return LocalDate.of(discovered.atZone(ZoneOffset.UTC).getYear() + 1, 1, 1).plusDays(59);
    }

    public JsonObject toJson(Instant discovered, Instant now) {
        JsonObject states = new JsonObject();
        residentsByState.forEach(states::put);
        long daysLeft = Duration.between(now, deadline).toDays();
        return new JsonObject().put("factors", factors).put("conclusion", conclusion.wireName())
                .put("affectedIndividuals", affectedIndividuals).put("residentsByState", states)
                .put("notification", new JsonObject().put("required", notificationRequired())
                        .put("discoveredAt", discovered.toString()).put("deadline", deadline.toString())
                        .put("daysLeft", now.isAfter(deadline) ? -Duration.between(deadline, now).toDays() - 1 : daysLeft)
                        .put("overdue", now.isAfter(deadline))
                        .put("hhsWithIndividuals", hhsWithIndividuals())
                        .put("hhsAnnualLogDue", notificationRequired() && !hhsWithIndividuals() ? annualLogDue(discovered).toString() : null)
                        .put("mediaRequired", !mediaStates().isEmpty()).put("mediaStates", new JsonArray(mediaStates()))
                        .put("requiredRecipients", new JsonArray(List.copyOf(requiredRecipients()))));
    }

    static BreachAssessment stored(JsonObject factors, String conclusion, int affected, JsonObject states, Instant deadline) {
        Map<String, Integer> s = new TreeMap<>();
        states.forEach(e -> s.put(e.getKey(), ((Number) e.getValue()).intValue()));
        return new BreachAssessment(factors, Conclusion.parse(conclusion), affected, Map.copyOf(s), deadline);
    }
}
