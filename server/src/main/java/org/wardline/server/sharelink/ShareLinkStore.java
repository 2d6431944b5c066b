package org.wardline.server.sharelink;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.vertx.core.buffer.Buffer;
import org.wardline.protocol.Secret;
import org.wardline.storage.blob.BlobId;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The share-link tables in PostgreSQL: links, their live one-time code, verified sessions and open history. */
final class ShareLinkStore {
    /** Downloads a session may start; only one completes (the others were cut off and given back). */
    static final int MAX_DOWNLOAD_ATTEMPTS = 3;
    /** How long after an incomplete download's start it may be tried again on the same session. */
    static final java.time.Duration DOWNLOAD_RETRY_WINDOW = java.time.Duration.ofMinutes(10);

    private static final String COLUMNS = "link_id, owner_id, object_id, recipient_kind, recipient, recipient_sealed, mode, created_at, "
            + "expires_at, max_opens, opens, failed_attempts, locked_at, revoked_at, secret_sha256, phone_code_mac";

    /** A link with what is needed to check a secret and a phone code. */
    record StoredLink(ShareLink link, byte[] secretSha256, byte[] phoneCodeMac) {
    }

    /** A verified browser session. */
    record Session(UUID linkId, Instant expiresAt, Optional<Instant> downloadedAt) {
    }

    /** One entry of a link's open history. */
    record LinkEvent(Instant at, String kind, String outcome) {
    }

    private final Pool pool;
    private final ContactSealing contacts;

    ShareLinkStore(Pool pool, ContactSealing contacts) {
        this.pool = pool;
        this.contacts = contacts;
    }

    Future<Void> insert(ShareLink link, byte[] secretSha256, byte[] phoneCodeMac) {
        return pool.preparedQuery("INSERT INTO share_links (link_id, owner_id, object_id, recipient_kind, recipient_sealed, "
                        + "recipient_hmac, mode, secret_sha256, phone_code_mac, created_at, expires_at, max_opens) "
                        + "VALUES ($1, $2, $3, $4, $5, $12, $6, $7, $8, $9, $10, $11)")
                .execute(Tuple.tuple().addUUID(link.id()).addUUID(link.owner()).addUUID(link.object().value())
                        .addString(link.recipientKind().name()).addBuffer(Buffer.buffer(contacts.seal(link.id(), link.recipient())))
                        .addString(link.mode().name()).addBuffer(Buffer.buffer(secretSha256))
                        .addBuffer(phoneCodeMac == null ? null : Buffer.buffer(phoneCodeMac))
                        .addOffsetDateTime(odt(link.createdAt())).addOffsetDateTime(odt(link.expiresAt()))
                        .addInteger(link.maxOpens()).addBuffer(Buffer.buffer(contacts.lookupHash(link.recipient()))))
                .mapEmpty();
    }

    Future<Optional<StoredLink>> find(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM share_links WHERE link_id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toStored(rows.iterator().next())));
    }

    /** A link as its owner lists it, with the shared file's name (empty once the file is deleted or was unnamed). */
    record Listed(ShareLink link, Optional<Secret<String>> fileName) {
    }

    Future<List<Listed>> byOwner(UUID owner) {
        String columns = java.util.Arrays.stream(COLUMNS.split(", ")).map(c -> "l." + c)
                .collect(java.util.stream.Collectors.joining(", "));
        return pool.preparedQuery("SELECT " + columns + ", o.display_name AS file_name FROM share_links l "
                        + "LEFT JOIN stored_objects o ON o.object_id = l.object_id "
                        + "WHERE l.owner_id = $1 ORDER BY l.created_at DESC LIMIT 500")
                .execute(Tuple.of(owner))
                .map(rows -> {
                    List<Listed> links = new ArrayList<>();
                    rows.forEach(r -> links.add(new Listed(toStored(r).link(),
                            Optional.ofNullable(r.getString("file_name")).map(Secret::of))));
                    return links;
                });
    }

    Future<List<LinkEvent>> events(UUID linkId) {
        return pool.preparedQuery("SELECT at, kind, outcome FROM share_link_events WHERE link_id = $1 ORDER BY at, id LIMIT 200")
                .execute(Tuple.of(linkId))
                .map(rows -> {
                    List<LinkEvent> events = new ArrayList<>();
                    rows.forEach(r -> events.add(new LinkEvent(r.getOffsetDateTime("at").toInstant(), r.getString("kind"),
                            r.getString("outcome"))));
                    return events;
                });
    }

    Future<Void> event(UUID linkId, String kind, String outcome) {
        return pool.preparedQuery("INSERT INTO share_link_events (link_id, kind, outcome) VALUES ($1, $2, $3)")
                .execute(Tuple.of(linkId, kind, outcome)).mapEmpty();
    }

    /** @return whether a live link of this owner was revoked now */
    Future<Boolean> revoke(UUID linkId, UUID owner) {
        return pool.preparedQuery("UPDATE share_links SET revoked_at = now() WHERE link_id = $1 AND owner_id = $2 "
                        + "AND revoked_at IS NULL RETURNING link_id")
                .execute(Tuple.of(linkId, owner)).map(rows -> rows.size() > 0);
    }

    /** @return the IDs of the links revoked */
    Future<List<UUID>> revokeAllFor(UUID owner) {
        return pool.preparedQuery("UPDATE share_links SET revoked_at = now() WHERE owner_id = $1 AND revoked_at IS NULL "
                        + "RETURNING link_id")
                .execute(Tuple.of(owner))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID(0)));
                    return ids;
                });
    }

    /** Revokes the live links that match: one link ({@code link_id}) or every link to one file ({@code object_id}). */
    Future<List<UUID>> revokeWhere(boolean byFile, UUID id) {
        return pool.preparedQuery("UPDATE share_links SET revoked_at = now() WHERE " + (byFile ? "object_id" : "link_id")
                        + " = $1 AND revoked_at IS NULL RETURNING link_id, owner_id")
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID(0)));
                    return ids;
                });
    }

    /** Counts a failed code; locks the link when the count reaches {@code lockAfter}. @return whether it is now locked */
    Future<Boolean> recordFailure(UUID linkId, int lockAfter) {
        return pool.preparedQuery("UPDATE share_links SET failed_attempts = failed_attempts + 1, "
                        + "locked_at = CASE WHEN locked_at IS NULL AND failed_attempts + 1 >= $2 THEN now() ELSE locked_at END "
                        + "WHERE link_id = $1 RETURNING locked_at")
                .execute(Tuple.of(linkId, lockAfter))
                .map(rows -> rows.size() > 0 && rows.iterator().next().getValue(0) != null);
    }

    /**
     * Lifts a link's lock: the failure count starts again at zero and the code that was live when it locked no longer
     * works (the recipient asks for a new one). @return whether the link was locked
     */
    Future<Boolean> unlock(UUID linkId) {
        return pool.preparedQuery("UPDATE share_links SET locked_at = NULL, failed_attempts = 0 WHERE link_id = $1 "
                        + "AND locked_at IS NOT NULL RETURNING link_id")
                .execute(Tuple.of(linkId)).compose(rows -> rows.size() == 0 ? Future.succeededFuture(false)
                        : pool.preparedQuery("UPDATE share_link_codes SET used_at = now() WHERE link_id = $1 AND used_at IS NULL")
                                .execute(Tuple.of(linkId)).map(true));
    }

    /**
     * Replaces the link's live code, unless more than {@code maxPerHour} codes were sent in the current hour.
     * @return whether the code was stored (and may be sent)
     */
    Future<Boolean> saveCode(UUID linkId, byte[] codeMac, Instant expiresAt, int maxPerHour) {
        return pool.preparedQuery("INSERT INTO share_link_codes (link_id, code_mac, expires_at) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (link_id) DO UPDATE SET code_mac = EXCLUDED.code_mac, expires_at = EXCLUDED.expires_at, "
                        + "created_at = now(), used_at = NULL, "
                        + "sent_count = CASE WHEN share_link_codes.window_start < now() - interval '1 hour' THEN 1 "
                        + "ELSE share_link_codes.sent_count + 1 END, "
                        + "window_start = CASE WHEN share_link_codes.window_start < now() - interval '1 hour' THEN now() "
                        + "ELSE share_link_codes.window_start END "
                        + "WHERE share_link_codes.window_start < now() - interval '1 hour' OR share_link_codes.sent_count < $4 "
                        + "RETURNING link_id")
                .execute(Tuple.of(linkId, Buffer.buffer(codeMac), odt(expiresAt), maxPerHour))
                .map(rows -> rows.size() > 0);
    }

    /** Uses the live code once: a replayed or expired code matches nothing. */
    Future<Boolean> consumeCode(UUID linkId, byte[] codeMac) {
        return pool.preparedQuery("UPDATE share_link_codes SET used_at = now() WHERE link_id = $1 AND code_mac = $2 "
                        + "AND used_at IS NULL AND expires_at > now() RETURNING link_id")
                .execute(Tuple.of(linkId, Buffer.buffer(codeMac))).map(rows -> rows.size() > 0);
    }

    /** Counts one open if the link is still live and under its maximum; resets the failure count. */
    Future<Boolean> countOpen(UUID linkId) {
        return pool.preparedQuery("UPDATE share_links SET opens = opens + 1, failed_attempts = 0 WHERE link_id = $1 "
                        + "AND opens < max_opens AND revoked_at IS NULL AND locked_at IS NULL AND expires_at > now() "
                        + "RETURNING opens")
                .execute(Tuple.of(linkId)).map(rows -> rows.size() > 0);
    }

    Future<Void> createSession(byte[] tokenSha256, UUID linkId, Instant expiresAt) {
        return pool.preparedQuery("INSERT INTO share_link_sessions (token_sha256, link_id, expires_at) VALUES ($1, $2, $3)")
                .execute(Tuple.of(Buffer.buffer(tokenSha256), linkId, odt(expiresAt))).mapEmpty();
    }

    Future<Optional<Session>> findSession(byte[] tokenSha256, UUID linkId) {
        return pool.preparedQuery("SELECT link_id, expires_at, downloaded_at FROM share_link_sessions "
                        + "WHERE token_sha256 = $1 AND link_id = $2 AND expires_at > now()")
                .execute(Tuple.of(Buffer.buffer(tokenSha256), linkId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    return Optional.of(new Session(r.getUUID(0), r.getOffsetDateTime(1).toInstant(),
                            Optional.ofNullable(r.getOffsetDateTime(2)).map(OffsetDateTime::toInstant)));
                });
    }

    /** A download session serves one download: @return whether this call took it */
    Future<Boolean> markDownloaded(byte[] tokenSha256) {
        return pool.preparedQuery("UPDATE share_link_sessions SET downloaded_at = now(), "
                        + "download_attempts = download_attempts + 1 WHERE token_sha256 = $1 "
                        + "AND downloaded_at IS NULL AND download_attempts < $2 RETURNING link_id")
                .execute(Tuple.of(Buffer.buffer(tokenSha256), MAX_DOWNLOAD_ATTEMPTS)).map(rows -> rows.size() > 0);
    }

    /**
     * Gives a session's one-time download back after it did not complete, if it started less than
     * {@link #DOWNLOAD_RETRY_WINDOW} ago; the attempt still counts.
     */
    Future<Boolean> releaseDownload(byte[] tokenSha256) {
        return pool.preparedQuery("UPDATE share_link_sessions SET downloaded_at = NULL WHERE token_sha256 = $1 "
                        + "AND downloaded_at > now() - make_interval(secs => $2) RETURNING link_id")
                .execute(Tuple.of(Buffer.buffer(tokenSha256), (double) DOWNLOAD_RETRY_WINDOW.toSeconds()))
                .map(rows -> rows.size() > 0);
    }

    /** Deletes sessions and codes that can no longer be used. @return how many rows went */
    Future<Integer> purgeExpired() {
        return pool.query("DELETE FROM share_link_sessions WHERE expires_at < now() - interval '1 hour'").execute()
                .compose(sessions -> pool.query("DELETE FROM share_link_codes WHERE expires_at < now() - interval '1 day'")
                        .execute().map(codes -> sessions.rowCount() + codes.rowCount()));
    }

    private StoredLink toStored(Row r) {
        UUID id = r.getUUID("link_id");
        Buffer sealed = r.getBuffer("recipient_sealed");
        Secret<String> recipient = sealed != null ? contacts.open(id, sealed.getBytes()) : Secret.of(r.getString("recipient"));
        ShareLink link = new ShareLink(id, r.getUUID("owner_id"), new BlobId(r.getUUID("object_id")),
                RecipientKind.valueOf(r.getString("recipient_kind")), recipient,
                ShareMode.valueOf(r.getString("mode")), r.getOffsetDateTime("created_at").toInstant(),
                r.getOffsetDateTime("expires_at").toInstant(), r.getInteger("max_opens"), r.getInteger("opens"),
                r.getInteger("failed_attempts"),
                Optional.ofNullable(r.getOffsetDateTime("locked_at")).map(OffsetDateTime::toInstant),
                Optional.ofNullable(r.getOffsetDateTime("revoked_at")).map(OffsetDateTime::toInstant));
        Buffer phone = r.getBuffer("phone_code_mac");
        return new StoredLink(link, r.getBuffer("secret_sha256").getBytes(), phone == null ? null : phone.getBytes());
    }

    private static OffsetDateTime odt(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
