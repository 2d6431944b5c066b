package org.wardline.server.backup;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code backup.json}, signed as {@code backup.json.sig}: how the backup is encrypted (Argon2id parameters and salt,
 * no secret), the schema it was taken at, each table's row count, and every part and S3 object with the SHA-256 of
 * its bytes. It holds IDs and counts only, no content: object keys are opaque IDs.
 */
record BackupHeader(String createdAt, byte[] salt, int memoryKib, int iterations, List<String> schemaVersions,
                    List<Table> tables, List<Part> parts, List<StoredObject> objects) {
    static final String FORMAT = "wardline-backup/1";
    static final String NAME = "backup.json";
    static final String SIGNATURE = "backup.json.sig";
    static final String DATABASE_PART = "database.wlenc";

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
        return new JsonObject().put("format", FORMAT).put("createdAt", createdAt)
                .put("kdf", new JsonObject().put("algorithm", "argon2id").put("salt", Base64.getEncoder().encodeToString(salt))
                        .put("memoryKiB", memoryKib).put("iterations", iterations))
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
            return new BackupHeader(j.getString("createdAt"), Base64.getDecoder().decode(kdf.getString("salt")),
                    kdf.getInteger("memoryKiB"), kdf.getInteger("iterations"), versions, tables, parts, objects);
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
