package org.wardline.server;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.wardline.server.admin.AdminAudit;
import org.wardline.server.admin.Offboarding;
import org.wardline.server.audit.AuditKeys;
import org.wardline.server.auth.AccessControl;
import org.wardline.server.account.PasswordHasher;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.dev.DevRuntime;
import org.wardline.server.device.DeviceRevocation;
import org.wardline.server.incident.BreachRecords;
import org.wardline.server.incident.Containment;
import org.wardline.server.incident.EvidenceSealing;
import org.wardline.server.incident.IncidentDisclosures;
import org.wardline.server.incident.IncidentDrill;
import org.wardline.server.incident.IncidentReport;
import org.wardline.server.incident.IncidentRoutes;
import org.wardline.server.incident.IncidentStore;
import org.wardline.server.incident.Incidents;
import org.wardline.server.incident.NotificationClock;
import org.wardline.server.retention.RetentionStore;
import org.wardline.server.sharelink.ShareLinks;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditSigner;

import java.time.Clock;

/** Wires incident response (issue 20) for the composition root, from the services containment reuses. */
final class IncidentResponse {
    private IncidentResponse() {
    }

    static IncidentRoutes module(Vertx vertx, WardlineConfig config, Pool pool, AccessControl access, DeviceRevocation revocation,
                                 org.wardline.server.wipe.WipeModule wipe, ShareLinks shareLinks,
                                 org.wardline.server.upload.SystemUploads uploads, AuditLog audit, Clock clock) {
        IncidentStore store = new IncidentStore(pool);
        RetentionStore retention = new RetentionStore(pool);
        // The key the audit log signs checkpoints with also seals evidence packages and reports (same file, same passphrase).
        AuditSigner signer = AuditKeys.loadOrCreate(config.pki().directory(), config.pki().passphrase());
        Offboarding suspension = new Offboarding(pool, access.users(), access.signIn().sessions(), revocation, shareLinks);
        Incidents incidents = new Incidents(store, access.users(), new BreachRecords(store), clock);
        Containment containment = new Containment(store, access.users(), suspension, revocation,
                (device, by) -> wipe.wipeForIncident(device, by.userId(), by.deviceId()), shareLinks, retention,
                new org.wardline.server.delivery.ConversationFreezes(pool));
        IncidentDisclosures disclosures = new IncidentDisclosures(pool);
        return new IncidentRoutes(vertx, incidents, containment, new NotificationClock(pool, audit, clock), disclosures,
                new EvidenceSealing(vertx, store, retention, signer),
                new IncidentReport(vertx, incidents, containment, disclosures, signer), new AdminAudit(audit),
                new IncidentDrill(config.dataDir() != null && DevRuntime.isThisProcess(config.dataDir()), incidents, containment,
                        access.users(), new PasswordHasher(vertx, config.auth().argon2()), uploads, shareLinks));
    }
}
