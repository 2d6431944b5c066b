package org.wardline.server.backup;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code backup.json}, signed as {@code backup.json.sig}: how the backup is encrypted (Argon2id parameters and salt
 * for a passphrase, or the recipient key's ID and the data key wrapped to it by HPKE; no secret), a key check that
 * tells a wrong key from a damaged part, the schema it was taken at, each table's row count, and every part and S3
 * object with the SHA-256 of its bytes. It holds IDs and counts only, no content: object keys are opaque IDs.
 */
record BackupHeader(String createdAt, Sealing sealing, byte[] keyCheck, List<String> schemaVersions,
                    List<Table> tables, List<Part> parts, List<StoredObject> objects) {
    static final String FORMAT = "wardline-backup/1";
    static final String NAME = "backup.json";
    static final String SIGNATURE = "backup.json.sig";
    static final String DATABASE_PART = "database.wlenc";

    /** How the backup's data key was made: from a passphrase, or random and wrapped to a recipient key. */
    sealed interface Sealing {
    }

    /** Argon2id over the backup passphrase. */
    record PassphraseSealing(byte[] salt, int memoryKib, int iterations) implements Sealing {
    }

    /** A random data key, encrypted with Tink HPKE to the recipient public key {@code keyId}. */
    record RecipientSealing(long keyId, byte[] wrappedKey) implements Sealing {
    }

    record Table(String name, long rows) {
    }

    /** An encrypted part and the SHA-256 of its ciphertext. */
    record Part(String name, String sha256, long size) {
    }

    /** An S3 object: the SHA-256 of the ciphertext as stored, and the part that holds it. */
    record StoredObject(String bucket, String key, long size, String sha256, String part) {
    }

    byte[] encode() {
        JsonArray t = new JsonArray();
        tables.forEach(x -> t.add(new JsonObject().put("name", x.name()).put("rows", x.rows())));
        JsonArray p = new JsonArray();
        parts.forEach(x -> p.add(new JsonObject().put("name", x.name()).put("sha256", x.sha256()).put("size", x.size())));
        JsonArray o = new JsonArray();
        objects.forEach(x -> o.add(new JsonObject().put("bucket", x.bucket()).put("key", x.key()).put("size", x.size())
                .put("sha256", x.sha256()).put("part", x.part())));
        JsonObject header = new JsonObject().put("format", FORMAT).put("createdAt", createdAt);
        switch (sealing) {
            case PassphraseSealing k -> header.put("kdf", new JsonObject().put("algorithm", "argon2id")
                    .put("salt", Base64.getEncoder().encodeToString(k.salt()))
                    .put("memoryKiB", k.memoryKib()).put("iterations", k.iterations()));
            case RecipientSealing r -> header.put("recipient", new JsonObject()
                    .put("algorithm", "Tink HPKE X25519 HKDF-SHA256 AES-256-GCM").put("keyId", r.keyId())
                    .put("wrappedKey", Base64.getEncoder().encodeToString(r.wrappedKey())));
        }
        return header.put("keyCheck", Base64.getEncoder().encodeToString(keyCheck))
                .put("aead", "Tink AES256_GCM_HKDF streaming, 1 MiB segments")
                .put("schemaVersions", new JsonArray(new ArrayList<>(schemaVersions)))
                .put("tables", t).put("parts", p).put("objects", o)
                .encodePrettily().getBytes(StandardCharsets.UTF_8);
    }

    static BackupHeader decode(byte[] bytes) {
        try {
            JsonObject j = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
            if (!FORMAT.equals(j.getString("format"))) {
                throw new BackupException(NAME + ": not a " + FORMAT + " backup");
            }
            JsonObject kdf = j.getJsonObject("kdf");
            JsonObject recipient = j.getJsonObject("recipient");
            Sealing sealing;
            if (kdf != null) {
                sealing = new PassphraseSealing(Base64.getDecoder().decode(kdf.getString("salt")),
                        kdf.getInteger("memoryKiB"), kdf.getInteger("iterations"));
            } else if (recipient != null) {
                sealing = new RecipientSealing(recipient.getLong("keyId"),
                        Base64.getDecoder().decode(recipient.getString("wrappedKey")));
            } else {
                throw new BackupException(NAME + ": names neither a passphrase nor a recipient key");
            }
            String check = j.getString("keyCheck");
            List<String> versions = new ArrayList<>();
            j.getJsonArray("schemaVersions").forEach(v -> versions.add(String.valueOf(v)));
            List<Table> tables = new ArrayList<>();
            j.getJsonArray("tables").forEach(v -> {
                JsonObject x = (JsonObject) v;
                tables.add(new Table(x.getString("name"), x.getLong("rows")));
            });
            List<Part> parts = new ArrayList<>();
            j.getJsonArray("parts").forEach(v -> {
                JsonObject x = (JsonObject) v;
                parts.add(new Part(x.getString("name"), x.getString("sha256"), x.getLong("size")));
            });
            List<StoredObject> objects = new ArrayList<>();
            j.getJsonArray("objects").forEach(v -> {
                JsonObject x = (JsonObject) v;
                objects.add(new StoredObject(x.getString("bucket"), x.getString("key"), x.getLong("size"),
                        x.getString("sha256"), x.getString("part")));
            });
            return new BackupHeader(j.getString("createdAt"), sealing, check == null ? null : Base64.getDecoder().decode(check),
                    versions, tables, parts, objects);
        } catch (RuntimeException e) {
            if (e instanceof BackupException b) {
                throw b;
            }
            throw new BackupException(NAME + ": malformed (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    Part part(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new BackupException(NAME + ": lists no part " + name));
    }
}
