package org.wardline.clients.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.clients.sdk.LegalHolds;
import org.wardline.protocol.mls.DeviceUri;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A device's part in legal holds that require the records custodian (ADR 0010). When its client connects, is told
 * that a hold changed ({@code LEGAL_HOLD_CHANGED}), creates or joins a conversation or invites someone, it asks the
 * server what the holds require and, in each conversation this device is in, commits an Add of each missing
 * custodian device and a Remove of each custodian device whose hold was released. Any member may do it: the first
 * commit wins and the others find it done. Checks run one at a time on their own thread, never on the client's MLS
 * thread; checks asked for while one is waiting are merged.
 */
public final class LegalHoldMembership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LegalHoldMembership.class);
    private static final long WAIT_SECONDS = 60;

    private final MessagingClient client;
    private final LegalHolds.Api api;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wardline-legal-hold");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile CompletableFuture<Report> latest = CompletableFuture.completedFuture(new Report(0, 0, 0));

    LegalHoldMembership(MessagingClient client, LegalHolds.Api api) {
        this.client = client;
        this.api = api;
    }

    /** What one check did: custodian devices this device added and removed, and changes that failed (logged). */
    public record Report(int added, int removed, int failed) {
    }

    /** Asks for a check soon (merged with one already waiting). */
    void check() {
        if (queued.compareAndSet(false, true)) {
            try {
                latest = CompletableFuture.supplyAsync(() -> {
                    queued.set(false);
                    return sync();
                }, worker);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                queued.set(false);
            }
        }
    }

    /** Runs a check now (after any waiting one) and completes with what it did. */
    public CompletableFuture<Report> checkNow() {
        return CompletableFuture.supplyAsync(this::sync, worker);
    }

    /** The last check asked for, done or not. */
    public CompletableFuture<Report> latest() {
        return latest;
    }

    /** The members of a conversation, with the records-custodian devices labelled as the server designates them. */
    public CompletableFuture<List<ConversationMember>> members(ConversationId id) {
        return client.members(id).thenCombine(CompletableFuture.supplyAsync(api::custodians, io), (devices, custodians) -> {
            Set<String> designated = new HashSet<>(custodians.devices());
            List<ConversationMember> out = new ArrayList<>();
            for (DeviceUri d : devices) {
                out.add(new ConversationMember(d, d.equals(client.device()),
                        designated.contains(d.toString()) ? Optional.of(custodians.label()) : Optional.empty()));
            }
            return out;
        });
    }

    private Report sync() {
        LegalHolds.Requirements asked;
        Set<ConversationId> mine;
        try {
            asked = api.requirements();
            mine = client.conversations().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.atDebug().addKeyValue("errorType", e.getClass().getSimpleName()).log("legal hold requirements not read");
            return new Report(0, 0, 1);
        }
        int added = 0;
        int removed = 0;
        int failed = 0;
        for (LegalHolds.CustodianRequirement r : asked.add()) {
            ConversationId id = ConversationId.of(r.groupId());
            if (!mine.contains(id)) {
                continue;
            }
            for (String device : r.addDevices()) {
                Optional<DeviceUri> d = DeviceUri.parse(device);
                try {
                    if (d.isPresent() && wait(client.addIfAbsent(id, d.get()))) {
                        added++;
                    }
                } catch (Exception e) {
                    failed++;
                    LOG.atWarn().addKeyValue("errorType", cause(e)).log("custodian device not added");
                }
            }
        }
        Set<String> designated = null;
        for (LegalHolds.Release r : asked.released()) {
            ConversationId id = ConversationId.of(r.groupId());
            if (designated == null) {
                try {
                    designated = new HashSet<>(api.custodians().devices());
                } catch (Exception e) {
                    LOG.atDebug().addKeyValue("errorType", e.getClass().getSimpleName()).log("custodian devices not read");
                    return new Report(added, removed, failed + 1);
                }
            }
            Set<String> custodianDevices = designated;
            // A release takes out custodian devices only, never a clinician the list might name.
            List<DeviceUri> devices = r.removeDevices().stream().filter(custodianDevices::contains)
                    .map(DeviceUri::parse).flatMap(Optional::stream).toList();
            if (!mine.contains(id) || devices.isEmpty()) {
                continue;
            }
            try {
                if (wait(client.removeIfPresent(id, devices))) {
                    removed += devices.size();
                }
            } catch (Exception e) {
                failed++;
                LOG.atWarn().addKeyValue("errorType", cause(e)).log("custodian device not removed after a released hold");
            }
        }
        return new Report(added, removed, failed);
    }

    private static boolean wait(CompletableFuture<Boolean> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static String cause(Exception e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof MessagingException m ? m.code() : t.getClass().getSimpleName();
    }

    @Override
    public void close() {
        worker.shutdownNow();
        io.shutdownNow();
    }
}
