package org.wardline.server.incident;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.wardline.protocol.Secret;
import org.wardline.server.account.User;
import org.wardline.server.sharelink.RecipientKind;
import org.wardline.server.sharelink.ShareLinks;
import org.wardline.server.sharelink.ShareMode;
import org.wardline.server.upload.SystemUploads;
import org.wardline.storage.blob.BlobId;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The misdirected-link drill's set-up: a synthetic drill document stored for the drill account through the upload
 * pipeline (clamd, DLP, encryption), and a share link from it to an address that cannot receive mail
 * ({@code example.invalid}, RFC 2606). Creating a link sends nothing; a code is mailed only when someone opens it.
 */
final class MisdirectedLinkSetUp {
    static final String VIA = "incident-drill";
    /** Obviously synthetic: no name, no date, no number a detector could take for a patient's. */
    static final String CONTENT = "Wardline drill document - no patient data.\nThis file exists only to rehearse a misdirected link.\n";
    static final String RECIPIENT_DOMAIN = "example.invalid";
    static final int EXPIRES_IN_HOURS = 1;

    private final SystemUploads uploads;
    private final ShareLinks links;

    MisdirectedLinkSetUp(SystemUploads uploads, ShareLinks links) {
        this.uploads = uploads;
        this.links = links;
    }

    Future<DrillStage> stage(User account) {
        return uploads.store(account.id(), CONTENT.getBytes(StandardCharsets.UTF_8), "wardline-drill.txt", "text/plain", VIA)
                .compose(file -> links.createOnBehalf(account.id(), new ShareLinks.Request(file.id(), RecipientKind.EMAIL,
                                Secret.of(account.username() + "@" + RECIPIENT_DOMAIN), EXPIRES_IN_HOURS, 1, ShareMode.VIEW, false), VIA)
                        .map(created -> stage(account, file.id(), created)));
    }

    private static DrillStage stage(User account, BlobId file, ShareLinks.Created created) {
        Containment.Request revoke = new Containment.Request(ContainmentAction.REVOKE_FILE_LINKS,
                ContainmentAction.REVOKE_FILE_LINKS.objectType(), file.value().toString(), IncidentReason.DRILL, Optional.empty());
        JsonObject staged = new JsonObject().put("fileId", file.value().toString()).put("linkId", created.link().id().toString())
                .put("recipientKind", "email").put("recipientDomain", RECIPIENT_DOMAIN);
        return new DrillStage(account, revoke, staged, Optional.of(created));
    }
}
