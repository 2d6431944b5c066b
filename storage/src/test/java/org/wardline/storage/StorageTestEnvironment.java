package org.wardline.storage;

import org.wardline.protocol.Secret;
import io.vertx.core.Vertx;
import org.wardline.embedded.junit.PostgresExtension;
import org.wardline.embedded.junit.S3Extension;
import org.wardline.storage.blob.EncryptingBlobStore;
import org.wardline.storage.blob.S3BlobStore;
import org.wardline.storage.blob.S3Fixture;
import org.wardline.storage.crypto.DataKeyStore;
import org.wardline.storage.crypto.KdfParameters;
import org.wardline.storage.crypto.LocalKeystoreKeyProvider;
import org.wardline.storage.db.Database;
import org.wardline.storage.db.DatabaseSettings;
import org.wardline.storage.object.ObjectCatalog;
import org.wardline.storage.object.ObjectLifecycle;

import java.nio.file.Path;

/**
 * The real storage stack for one test: Vert.x, a migrated embedded PostgreSQL database, s3proxy buckets, a
 * keystore in a temporary folder, and the stores built on them. Close it after the test.
 */
public final class StorageTestEnvironment implements AutoCloseable {
    public static final Secret<char[]> PASSPHRASE = Secret.of("test keystore passphrase".toCharArray());

    public final Vertx vertx;
    public final Database database;
    public final S3BlobStore s3;
    public final LocalKeystoreKeyProvider keys;
    public final DataKeyStore dataKeys;
    public final EncryptingBlobStore encrypted;
    public final ObjectCatalog catalog;
    public final ObjectLifecycle lifecycle;
    private final S3Extension s3Extension;

    public StorageTestEnvironment(PostgresExtension pg, S3Extension s3Extension, Path keystoreDir) {
        this.s3Extension = s3Extension;
        this.vertx = sharedVertx();
        this.database = Database.open(vertx, DatabaseSettings.of(pg.host(), pg.port(), pg.database(), pg.user(),
                Secret.of(pg.password())));
        this.s3 = S3Fixture.store(s3Extension);
        this.keys = LocalKeystoreKeyProvider.create(keystoreDir.resolve("keystore.bin"), PASSPHRASE,
                KdfParameters.MINIMUM);
        this.dataKeys = new DataKeyStore(database.pool());
        this.encrypted = new EncryptingBlobStore(s3, keys, dataKeys);
        this.catalog = new ObjectCatalog(database.pool());
        this.lifecycle = new ObjectLifecycle(catalog, encrypted);
    }

    private static Vertx shared;

    /** One Vert.x per test JVM, gone when it exits; each test still gets its own pool and database. */
    private static synchronized Vertx sharedVertx() {
        if (shared == null) {
            shared = Vertx.vertx();
        }
        return shared;
    }

    /** The raw file s3proxy keeps for an object in the committed bucket. */
    public Path rawFile(org.wardline.storage.blob.BlobId id) {
        return s3Extension.bucketDirectory().resolve(id.key());
    }

    /** The raw file s3proxy keeps for an object in the quarantine bucket. */
    public Path rawQuarantineFile(org.wardline.storage.blob.BlobId id) {
        return s3Extension.bucketDirectory().resolveSibling(s3.settings().quarantineBucket()).resolve(id.key());
    }

    @Override
    public void close() {
        database.closeAsync().await();
        S3Fixture.removeQuarantineBucket(s3Extension);
    }
}
