package org.wardline.server;

import io.vertx.sqlclient.Pool;
import org.wardline.server.admin.AdminAudit;
import org.wardline.server.admin.Offboarding;
import org.wardline.server.auth.AccessControl;
import org.wardline.server.device.DeviceRevocation;
import org.wardline.server.incident.Containment;
import org.wardline.server.incident.IncidentRoutes;
import org.wardline.server.incident.IncidentStore;
import org.wardline.server.incident.Incidents;
import org.wardline.server.retention.RetentionStore;
import org.wardline.server.sharelink.ShareLinks;
import org.wardline.storage.audit.AuditLog;

import java.time.Clock;

/** Wires incident response (issue 20) for the composition root, from the services containment reuses. */
final class IncidentResponse {
    private IncidentResponse() {
    }

    static IncidentRoutes module(io.vertx.core.Vertx vertx, Pool pool, AccessControl access, DeviceRevocation revocation, ShareLinks shareLinks,
                                 AuditLog audit, Clock clock) {
        IncidentStore store = new IncidentStore(pool);
        Offboarding suspension = new Offboarding(pool, access.users(), access.signIn().sessions(), revocation, shareLinks);
        return new IncidentRoutes(vertx, new Incidents(store, access.users(), new org.wardline.server.incident.BreachRecords(store), clock),
                new Containment(store, access.users(), suspension, revocation, shareLinks, new RetentionStore(pool)),
                new org.wardline.server.incident.NotificationClock(pool, audit, clock),
                new org.wardline.server.incident.IncidentDisclosures(pool), new AdminAudit(audit));
    }
}
