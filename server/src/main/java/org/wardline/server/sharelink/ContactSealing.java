package org.wardline.server.sharelink;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.Secret;
import org.wardline.storage.crypto.ColumnCipher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Seals share-link recipients: the value stored for a new link, the hash a disclosure report looks up, and, at
 * start-up, every row written in plaintext before sealing existed (after which the table is rewritten, so the old
 * row versions leave the data files; WAL segments holding them are recycled by later checkpoints).
 */
public final class ContactSealing {
    private final ColumnCipher cipher;

    public ContactSealing(ColumnCipher cipher) {
        this.cipher = cipher;
    }

    static String rowId(UUID linkId) {
        return "share_links.recipient:" + linkId;
    }

    byte[] seal(UUID linkId, Secret<String> recipient) {
        return cipher.seal(recipient.reveal(), rowId(linkId));
    }

    Secret<String> open(UUID linkId, byte[] sealed) {
        return Secret.of(cipher.open(sealed, rowId(linkId)));
    }

    /** The lookup hash of an address: trimmed and lower-case (e-mail addresses match case-insensitively). */
    public byte[] lookupHash(Secret<String> address) {
        return cipher.lookupHash(address.reveal().strip().toLowerCase(Locale.ROOT));
    }

    /** Seals every row still holding a plaintext recipient. @return how many were sealed */
    public Future<Integer> sealLegacyRows(Pool pool) {
        return pool.query("SELECT link_id, recipient FROM share_links WHERE recipient IS NOT NULL").execute().compose(rows -> {
            List<Tuple> batch = new ArrayList<>();
            for (Row r : rows) {
                UUID id = r.getUUID("link_id");
                Secret<String> recipient = Secret.of(r.getString("recipient"));
                batch.add(Tuple.of(id, Buffer.buffer(seal(id, recipient)), Buffer.buffer(lookupHash(recipient))));
            }
            if (batch.isEmpty()) {
                return Future.succeededFuture(0);
            }
            return pool.preparedQuery("UPDATE share_links SET recipient = NULL, recipient_sealed = $2, recipient_hmac = $3 "
                            + "WHERE link_id = $1 AND recipient IS NOT NULL").executeBatch(batch)
                    .compose(v -> pool.query("VACUUM FULL share_links").execute())
                    .map(v -> batch.size());
        });
    }
}
