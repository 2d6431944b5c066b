package org.wardline.server;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.wardline.server.admin.AdminAudit;
import org.wardline.server.admin.AdminModule;
import org.wardline.server.admin.AuditExport;
import org.wardline.server.admin.TrailVerification;
import org.wardline.server.admin.Offboarding;
import org.wardline.server.auth.AccessControl;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.device.DeviceRevocation;
import org.wardline.server.report.AccessReviews;
import org.wardline.server.report.Disclosures;
import org.wardline.server.retention.ExpiredData;
import org.wardline.server.retention.RetentionStore;
import org.wardline.server.retention.RetentionSweep;
import org.wardline.server.cluster.SingleNodeJob;
import org.wardline.server.sharelink.ShareLinks;
import org.postgresql.ds.PGSimpleDataSource;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.db.Database;
import org.wardline.storage.db.DatabaseSettings;
import org.wardline.storage.blob.BlobStore;
import org.wardline.storage.crypto.DataKeyStore;
import org.wardline.storage.object.ObjectCatalog;
import org.wardline.storage.object.ObjectLifecycle;

import org.wardline.server.custodian.CustodianHolds;
import org.wardline.server.custodian.RecordsCustodians;
import org.wardline.server.delivery.LegalHoldNotices;

import javax.sql.DataSource;

/** Wires the administration side (retention, legal hold, offboarding, reports) for the composition root. */
final class Administration {
    private Administration() {
    }

    static AdminModule module(Vertx vertx, WardlineConfig config, Database database, ObjectCatalog catalog, ObjectLifecycle lifecycle,
                              BlobStore blobs, AuditLog audit, AccessControl access, DeviceRevocation revocation,
                              ShareLinks shareLinks, org.wardline.server.sharelink.ContactSealing contacts) {
        Pool pool = database.pool();
        RetentionStore retention = new RetentionStore(pool);
        RetentionSweep sweep = new RetentionSweep(vertx, new ExpiredData(pool), retention, lifecycle, catalog,
                new DataKeyStore(pool), blobs, audit, config.retention().batchSize(), new SingleNodeJob(pool, RetentionSweep.CLUSTER_LOCK_KEY));
        Offboarding offboarding = new Offboarding(pool, access.users(), access.signIn().sessions(), revocation, shareLinks);
        return new AdminModule(vertx, config, retention, sweep, offboarding, revocation, new AccessReviews(pool),
                new Disclosures(pool, contacts), new AdminAudit(audit), new AuditExport(vertx, dataSource(database.settings())),
                new TrailVerification(vertx, dataSource(database.settings()),
                        config.pki().directory().resolve(org.wardline.server.audit.AuditKeys.CERTIFICATE)),
                new CustodianHolds(new RecordsCustodians(pool), new LegalHoldNotices(vertx, pool)),
                new org.wardline.server.admin.AuditSearch(pool, contacts));
    }

    /** The scheduled verification of the whole audit chain (one node, every {@code alerts.auditVerifySeconds}). */
    static org.wardline.server.audit.ScheduledAuditVerification auditVerification(Vertx vertx, WardlineConfig config,
                                                                                  Database database, AuditLog audit) {
        return new org.wardline.server.audit.ScheduledAuditVerification(vertx, database.pool(), audit,
                () -> dataSource(database.settings()),
                config.pki().directory().resolve(org.wardline.server.audit.AuditKeys.CERTIFICATE),
                config.alerts().auditVerifyInterval());
    }

    /** JDBC for the audit exporter and verifier, to the same database as the pool. */
    private static DataSource dataSource(DatabaseSettings settings) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(settings.jdbcUrl());
        ds.setUser(settings.user());
        ds.setPassword(settings.password().reveal());
        return ds;
    }
}
