package org.wardline.server;

import io.vertx.core.Vertx;
import org.wardline.dlp.inspect.DlpInspector;
import org.wardline.dlp.malware.ClamdScanner;
import org.wardline.dlp.malware.MalwareScanner;
import org.wardline.dlp.policy.DlpPolicy;
import org.wardline.dlp.policy.RulePackException;
import org.wardline.dlp.policy.RulePackLoader;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.upload.FileRoutes;
import org.wardline.server.upload.UploadPipeline;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.blob.EncryptingBlobStore;
import org.wardline.storage.blob.S3BlobStore;
import org.wardline.storage.crypto.DataKeyStore;
import org.wardline.storage.crypto.KdfParameters;
import org.wardline.storage.crypto.LocalKeystoreKeyProvider;
import org.wardline.storage.db.Database;
import org.wardline.storage.object.ObjectCatalog;
import org.wardline.storage.object.ObjectLifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

/** The file side of a node: encrypted object storage, the DLP inspector and policy, and their routes. */
record Files(ObjectCatalog catalog, ObjectLifecycle lifecycle, Optional<DlpInspector> inspector, DlpPolicy policy,
             org.wardline.server.sharelink.ContactSealing contacts, org.wardline.server.account.AccountEmails accountEmails) {

    /** Builds the file side; blocking (opens the keystore, reads rule packs): call it at start-up only. */
    static Files create(WardlineConfig config, Database database, S3BlobStore s3) {
        var keys = LocalKeystoreKeyProvider.openOrCreate(config.keys().keystore(),
                config.keys().passphrase().map(String::toCharArray), KdfParameters.DEFAULT);
        ObjectCatalog catalog = new ObjectCatalog(database.pool());
        var blobs = new EncryptingBlobStore(s3, keys, new DataKeyStore(database.pool()));
        WardlineConfig.Malware malware = config.malware();
        Optional<MalwareScanner> scanner = malware.host() == null ? Optional.empty()
                : Optional.of(new ClamdScanner(malware.host(), malware.port(), Duration.ofSeconds(5),
                        Duration.ofMillis(malware.timeoutMillis())));
        DlpPolicy policy;
        try {
            policy = new DlpPolicy(new RulePackLoader(malware.rulePacks()).load(Optional.empty(), Optional.empty()));
        } catch (RulePackException e) {
            throw new IllegalStateException("the DLP rule packs in " + malware.rulePacks() + " are invalid: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the DLP rule packs in " + malware.rulePacks(), e);
        }
        var contactsKey = org.wardline.storage.crypto.ColumnCipher.load(database.pool(), keys,
                org.wardline.storage.crypto.ColumnCipher.CONTACTS);
        var contacts = new org.wardline.server.sharelink.ContactSealing(contactsKey);
        int sealed = await(contacts.sealLegacyRows(database.pool()));
        if (sealed > 0) {
            org.slf4j.LoggerFactory.getLogger(Files.class).atInfo().addKeyValue("rows", sealed)
                    .log("sealed share-link recipients stored before encryption");
        }
        return new Files(catalog, new ObjectLifecycle(catalog, blobs),
                scanner.map(s -> DlpInspector.standard(Optional.of(s))), policy, contacts,
                new org.wardline.server.account.AccountEmails(contactsKey));
    }

    private static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted at start-up", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot seal stored share-link recipients", e.getCause());
        }
    }

    /** Files the server stores for a user with no request (a drill's set-up), through the same pipeline as uploads. */
    org.wardline.server.upload.SystemUploads systemUploads(Vertx vertx, AuditLog audit) {
        return new org.wardline.server.upload.SystemUploads(vertx, inspector.map(i -> new UploadPipeline(i, policy, lifecycle)),
                lifecycle, audit);
    }

    FileRoutes routes(Vertx vertx, AuditLog audit, WardlineConfig config, org.wardline.server.upload.FileReadGrants grants,
                      io.vertx.sqlclient.Pool pool) {
        return new FileRoutes(vertx, inspector.map(i -> new UploadPipeline(i, policy, lifecycle)), lifecycle, catalog,
                audit, config.uploads().maxBytes(), grants, pool);
    }
}
