package org.wardline.server.upload;

import org.wardline.dlp.inspect.BoundedPipe;
import org.wardline.dlp.inspect.DlpInspector;
import org.wardline.dlp.inspect.Inspection;
import org.wardline.dlp.malware.MalwareScanResult;
import org.wardline.dlp.policy.Decision;
import org.wardline.dlp.policy.Destination;
import org.wardline.dlp.policy.DlpPolicy;
import org.wardline.dlp.policy.Verdict;
import org.wardline.storage.StorageUnavailableException;
import org.wardline.storage.object.ObjectLifecycle;
import org.wardline.storage.object.PendingUpload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One pass over an upload's bytes: the DLP inspector reads them (type detection, text extraction, PHI
 * detection, and clamd INSTREAM through its own bounded pipe) and copies each byte through a bounded pipe to
 * the encrypting writer, which stores them as a PENDING object. Only then does the policy decide: the object
 * is committed (the only visible state), quarantined (encrypted, for review) or discarded (ciphertext
 * deleted, data key destroyed). Plaintext never touches disk; memory is bounded by the pipes.
 *
 * <p>Blocking: run it on a worker thread.
 */
public final class UploadPipeline {
    private static final int PIPE_BYTES = 1 << 20;

    private final DlpInspector inspector;
    private final DlpPolicy policy;
    private final ObjectLifecycle lifecycle;

    public UploadPipeline(DlpInspector inspector, DlpPolicy policy, ObjectLifecycle lifecycle) {
        this.inspector = inspector;
        this.policy = policy;
        this.lifecycle = lifecycle;
    }

    UploadResult run(InputStream body, UUID owner, Optional<String> displayName, Optional<String> declaredType,
                     boolean justified) throws IOException {
        BoundedPipe storePipe = new BoundedPipe(PIPE_BYTES);
        OutputStream storeOut = storePipe.sink();
        FutureTask<PendingUpload> store = new FutureTask<>(() -> {
            // Closing the reading end when storing ends, stored or failed, makes the inspector's next copy fail
            // instead of waiting on a reader that is gone.
            try (InputStream storeIn = storePipe.source()) {
                return lifecycle.upload(owner, displayName, storeIn);
            }
        });
        Thread.ofVirtual().name("upload-store").start(store);

        Inspection inspection;
        try {
            inspection = inspector.inspect(body, declaredType, storeOut, true);
            storeOut.close();
        } catch (IOException | RuntimeException e) {
            // End the storing side with an end of stream; whatever it stored is then discarded.
            storeOut.close();
            StoreOutcome outcome = settle(store);
            outcome.stored().ifPresent(p -> lifecycle.discard(p.id()));
            if (outcome.failure() instanceof RuntimeException storageFailure) {
                throw storageFailure;
            }
            throw e;
        }
        PendingUpload pending = await(store);

        Verdict verdict = policy.decide(Destination.INTERNAL_CONVERSATION, inspection.extraction(),
                inspection.findings(), inspection.malware());
        String detected = inspection.extraction().type().detected();
        MalwareScanResult malware = inspection.malware().orElse(new MalwareScanResult.Unavailable(
                MalwareScanResult.Reason.SCANNER_ERROR));
        if (malware instanceof MalwareScanResult.Unavailable unavailable) {
            lifecycle.discard(pending.id());
            throw new ScannerUnavailableException(String.valueOf(unavailable.reason()));
        }
        if (malware instanceof MalwareScanResult.Infected) {
            lifecycle.discard(pending.id());
            return new UploadResult(UploadResult.Outcome.INFECTED, Optional.empty(), verdict, detected);
        }
        Decision decision = verdict.decision();
        if (decision == Decision.REQUIRE_JUSTIFICATION && !justified) {
            lifecycle.discard(pending.id());
            return new UploadResult(UploadResult.Outcome.JUSTIFICATION_REQUIRED, Optional.empty(), verdict, detected);
        }
        return switch (decision) {
            case ALLOW, TAG, REQUIRE_JUSTIFICATION -> new UploadResult(UploadResult.Outcome.COMMITTED,
                    Optional.of(lifecycle.commit(pending.id(), detected)), verdict, detected);
            case QUARANTINE -> new UploadResult(UploadResult.Outcome.QUARANTINED,
                    Optional.of(lifecycle.quarantine(pending.id(), Optional.of(detected))), verdict, detected);
            case BLOCK -> {
                lifecycle.discard(pending.id());
                yield new UploadResult(UploadResult.Outcome.BLOCKED, Optional.empty(), verdict, detected);
            }
        };
    }

    private static PendingUpload await(FutureTask<PendingUpload> store) throws IOException {
        try {
            return store.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while storing the upload", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException("storing the upload failed", e.getCause());
        }
    }

    /** The storing side's end after the reading side failed: what it stored, or why it failed itself. */
    private record StoreOutcome(Optional<PendingUpload> stored, Throwable failure) {
    }

    private static StoreOutcome settle(FutureTask<PendingUpload> store) {
        try {
            return new StoreOutcome(Optional.of(store.get()), null);
        } catch (ExecutionException e) {
            // A broken pipe only echoes the reading side's failure; S3 being down is a cause of its own.
            Throwable cause = e.getCause();
            return new StoreOutcome(Optional.empty(), cause instanceof StorageUnavailableException ? cause : null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new StoreOutcome(Optional.empty(), null);
        }
    }
}
