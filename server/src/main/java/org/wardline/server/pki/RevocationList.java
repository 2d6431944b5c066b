package org.wardline.server.pki;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.security.cert.CRLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The device CRL: every certificate that stopped working (revoked, or superseded after its grace period)
 * and has not expired, signed by the intermediate. It is rebuilt from the database when a node announces a
 * change on the event bus ({@link #CHANGED_ADDRESS}), on a timer, and at start; each new list goes into the
 * device listener's trust options (the next handshake of a listed certificate fails), is served at
 * {@code GET /pki/crl}, and is handed to subscribers (the connection registry closes what it lists).
 */
public final class RevocationList {
    /** Event-bus address on which a node announces stopped certificates: a JSON array of serials (hex). */
    public static final String CHANGED_ADDRESS = "wardline.pki.certificates-stopped";
    static final Duration REFRESH_INTERVAL = Duration.ofSeconds(30);
    static final Duration VALIDITY = Duration.ofDays(1);
    static final Duration REISSUE_AFTER = Duration.ofHours(6);
    private static final Logger LOG = LoggerFactory.getLogger(RevocationList.class);

    private final Vertx vertx;
    private final CertificateAuthority ca;
    private final Supplier<Future<List<CertificateAuthority.RevokedCertificate>>> source;
    private final ListenerTls tls;
    private final List<Consumer<Set<String>>> subscribers = new CopyOnWriteArrayList<>();
    private volatile byte[] der;
    private volatile Set<String> stoppedSerials = Set.of();
    private final Map<String, Instant> announced = new ConcurrentHashMap<>();
    private volatile boolean ready;
    private volatile Instant issuedAt = Instant.EPOCH;
    private BigInteger lastNumber = BigInteger.ZERO;
    private Future<Void> inFlight = Future.succeededFuture();
    private long timerId = -1;

    /**
     * @param source the certificates that stopped and have not expired (read from the database)
     * @param tls    the listeners whose trust options get each new list
     */
    public RevocationList(Vertx vertx, CertificateAuthority ca,
                          Supplier<Future<List<CertificateAuthority.RevokedCertificate>>> source, ListenerTls tls) {
        this.vertx = vertx;
        this.ca = ca;
        this.source = source;
        this.tls = tls;
    }

    /** Builds the first list and starts listening for changes; completes once the first list is in place. */
    public Future<Void> start() {
        vertx.eventBus().<JsonArray>consumer(CHANGED_ADDRESS, message -> {
            Set<String> serials = message.body().stream().map(String::valueOf).collect(Collectors.toSet());
            Instant now = Instant.now();
            serials.forEach(s -> announced.put(s, now));
            subscribers.forEach(s -> s.accept(serials));
            refresh();
        });
        timerId = vertx.setPeriodic(REFRESH_INTERVAL.toMillis(), id -> refresh());
        return refresh();
    }

    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** Tells every node (and this one) that these certificates stopped working. */
    public static void announce(Vertx vertx, Set<String> serials) {
        if (!serials.isEmpty()) {
            vertx.eventBus().publish(CHANGED_ADDRESS, new JsonArray(List.copyOf(serials)));
        }
    }

    /** Called with the full set of stopped serials after each rebuild, and with announced serials at once. */
    public void subscribe(Consumer<Set<String>> subscriber) {
        subscribers.add(subscriber);
    }

    /** True when the certificate with this serial (lowercase hex) is on the list or was just announced. */
    public boolean isStopped(String serialHex) {
        return stoppedSerials.contains(serialHex) || announced.containsKey(serialHex);
    }

    /** False until the first list was built; the device listener refuses connections until then. */
    public boolean ready() {
        return ready;
    }

    /** The current CRL, DER-encoded. */
    public byte[] der() {
        return der;
    }

    /** Rebuilds the list from the database; concurrent calls are serialised. */
    public synchronized Future<Void> refresh() {
        Promise<Void> done = Promise.promise();
        inFlight = inFlight.transform(ignored -> rebuild()).onComplete(done);
        return done.future();
    }

    private Future<Void> rebuild() {
        Instant cutoff = Instant.now().minus(Duration.ofMinutes(5));
        return source.get().compose(entries -> {
            announced.values().removeIf(at -> at.isBefore(cutoff));
            Set<String> serials = entries.stream().map(e -> e.serial().toString(16)).collect(Collectors.toUnmodifiableSet());
            boolean fresh = Instant.now().isBefore(issuedAt.plus(REISSUE_AFTER));
            if (der != null && fresh && serials.equals(stoppedSerials)) {
                return Future.succeededFuture();
            }
            return vertx.executeBlocking(() -> sign(entries), false).<Void>compose(crl -> {
                der = crl;
                stoppedSerials = serials;
                issuedAt = Instant.now();
                subscribers.forEach(s -> s.accept(serials));
                return tls.applyCrl(crl);
            });
        }).onSuccess(v -> ready = true).onFailure(t -> LOG.atError().addKeyValue("errorType", t.getClass().getSimpleName())
                .log("could not rebuild the device CRL; the previous one stays in force"));
    }

    private synchronized byte[] sign(List<CertificateAuthority.RevokedCertificate> entries) throws CRLException {
        Instant now = Instant.now();
        BigInteger number = BigInteger.valueOf(now.toEpochMilli()).max(lastNumber.add(BigInteger.ONE));
        lastNumber = number;
        return ca.issueCrl(entries, now, now.plus(VALIDITY), number).getEncoded();
    }
}
