package org.wardline.storage.audit.alert;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.wardline.storage.audit.AuditEntry;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ShareLinkLockedRuleTest {
    private static final UUID OWNER = UUID.fromString("6f1c1a4e-34a4-4f59-9a52-1a3c64b0c001");
    private static final String LINK = "0b7e2f3c-55d1-4b6e-9a9e-6d2c1f0e4a77";

    private static AuditEntry entry(long seq, String action, String outcome) {
        return new AuditEntry(seq, Instant.parse("2026-12-07T06:00:05Z"), null, null, "203.0.113.9", action, "sharelink",
                LINK, outcome, null, "", "{\"failures\":5,\"owner\":\"" + OWNER + "\"}", new byte[32], new byte[32]);
    }

    @Test
    void aLockedLinkAlertsNamingTheLinkAndItsOwnerAndAWrongCodeAloneDoesNot() {
        AlertEngine engine = AlertEngine.fromConfig(AlertRulesConfig.defaults(), alert -> Future.succeededFuture());
        List<Alert> alerts = engine.evaluate(List.of(entry(1, "sharelink.verification", "denied"),
                entry(2, "sharelink.locked", "success")));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(ShareLinkLockedRule.CODE);
            assertThat(a.seq()).isEqualTo(2);
            assertThat(a.actorUserId()).isEqualTo(OWNER);
            assertThat(a.objectType()).isEqualTo("sharelink");
            assertThat(a.objectId()).isEqualTo(LINK);
            assertThat(a.summary()).doesNotContain("@");
        });
    }

    @Test
    void detailsWithoutAnOwnerStillAlert() {
        AuditEntry bare = new AuditEntry(3, Instant.parse("2026-12-07T06:00:05Z"), null, null, null, "sharelink.locked",
                "sharelink", LINK, "success", null, "", "{}", new byte[32], new byte[32]);
        assertThat(new ShareLinkLockedRule().evaluate(bare)).singleElement()
                .satisfies(a -> assertThat(a.actorUserId()).isNull());
    }
}
