package org.wardline.server;

import org.wardline.server.config.WardlineConfig;
import org.wardline.storage.blob.S3BlobStore;
import org.wardline.storage.blob.S3Settings;
import org.wardline.storage.db.DatabaseSettings;

import java.util.Optional;

/** Maps the server's configuration onto the storage module's settings. */
final class Storage {
    private Storage() {
    }

    static DatabaseSettings databaseSettings(WardlineConfig.Database db) {
        var password = db.password() == null ? org.wardline.protocol.Secret.of("") : db.password();
        DatabaseSettings.SslMode ssl = switch (db.sslMode()) {
            case DISABLE -> DatabaseSettings.SslMode.DISABLE;
            case VERIFY_CA -> DatabaseSettings.SslMode.VERIFY_CA;
            case VERIFY_FULL -> DatabaseSettings.SslMode.VERIFY_FULL;
        };
        return DatabaseSettings.of(db.host(), db.port(), db.name(), db.user(), password)
                .withSsl(ssl, Optional.empty())
                .withPoolSize(db.poolSize());
    }

    static S3BlobStore s3Store(WardlineConfig.S3 s3) {
        return new S3BlobStore(S3Settings.of(s3.endpoint(), s3.region(), s3.accessKey(),
                s3.secretKey(), s3.bucket(), s3.quarantineBucket()).withTimeout(s3.timeout()));
    }
}
