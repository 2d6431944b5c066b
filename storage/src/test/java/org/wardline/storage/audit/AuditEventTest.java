package org.wardline.storage.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.util.Date;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditEventTest {
    @ParameterizedTest
    @ValueSource(strings = {"Jane Doe", "scan of chest x-ray.pdf", "patient said \"it hurts\"", "line\nbreak", "", "a;b",
            "0123456789012345678901234567890123456789012345678901234567890123456789"})
    void freeTextInDetailsIsRefusedNamingTheFieldNotTheValue(String text) {
        assertThatThrownBy(() -> AuditDetails.builder().putCode("reason", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'reason'")
                .hasMessageContaining("free text")
                .satisfies(e -> {
                    if (!text.isEmpty()) {
                        assertThat(e.getMessage()).doesNotContain(text);
                    }
                });
    }

    @Test
    void valuesOfOtherTypesAreRefused() {
        assertThatThrownBy(() -> AuditDetails.builder().putValue("when", new Date()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'when'").hasMessageContaining("Date");
        assertThatThrownBy(() -> AuditDetails.builder().putValue("note", "Jane Doe"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'note'").hasMessageNotContaining("Jane");
        assertThatThrownBy(() -> AuditDetails.builder().put("ratio", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ratio'");
        assertThatThrownBy(() -> AuditDetails.builder().put("count", 1).put("count", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set twice");
        assertThatThrownBy(() -> AuditDetails.builder().put("Bad Key", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
    }

    @Test
    void detailsAreCanonicalJsonWithSortedKeys() {
        UUID id = new UUID(1, 2);
        AuditDetails details = AuditDetails.builder()
                .put("zeta", true)
                .put("count", 12)
                .put("size", new BigDecimal("1.500"))
                .put("big", new BigDecimal("1E+3"))
                .put("day", DayOfWeek.MONDAY)
                .put("file", id)
                .putValue("ratio", 0.25f)
                .putCode("mime", "application/pdf")
                .build();

        assertThat(details.toCanonicalJson()).isEqualTo("{\"big\":1000,\"count\":12,\"day\":\"MONDAY\","
                + "\"file\":\"00000000-0000-0001-0000-000000000002\",\"mime\":\"application/pdf\",\"ratio\":0.25,"
                + "\"size\":1.5,\"zeta\":true}");
        assertThat(AuditDetails.empty().toCanonicalJson()).isEqualTo("{}");
    }

    @Test
    void detailsAreBounded() {
        AuditDetails.Builder builder = AuditDetails.builder();
        for (int i = 0; i < AuditDetails.MAX_ENTRIES; i++) {
            builder.put("k" + i, i);
        }
        assertThatThrownBy(() -> builder.put("one_more", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedCodesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new AuditAction("Signed In"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'action'").hasMessageNotContaining("Signed");
        assertThatThrownBy(() -> new AuditAction("signin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'action'");
        assertThatThrownBy(() -> AuditEvent.builder(AuditAction.FILE_VIEWED, AuditOutcome.SUCCESS)
                .object("file", "chest x-ray.pdf").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'objectId'").hasMessageNotContaining("x-ray");
        assertThatThrownBy(() -> AuditEvent.builder(AuditAction.FILE_VIEWED, AuditOutcome.SUCCESS)
                .object("Patient Record", "f1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'objectType'");
        assertThatThrownBy(() -> AuditEvent.builder(AuditAction.FILE_VIEWED, AuditOutcome.SUCCESS)
                .requestId("hello world").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'requestId'");
        assertThatThrownBy(() -> AuditEvent.builder(null, AuditOutcome.SUCCESS).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("action");
    }

    @Test
    void flagsAreStoredSorted() {
        AuditEvent event = AuditEvent.builder(AuditAction.FILE_VIEWED, AuditOutcome.SUCCESS)
                .flag(AuditFlag.PHI_ACCESS).flag(AuditFlag.BREAK_GLASS).build();
        assertThat(AuditFlag.encode(event.flags())).isEqualTo("break_glass,phi_access");
        assertThat(AuditFlag.decode("break_glass,phi_access")).containsExactlyInAnyOrder(AuditFlag.BREAK_GLASS, AuditFlag.PHI_ACCESS);
        assertThat(AuditFlag.decode("")).isEmpty();
    }

    @Test
    void configurationReportsEveryProblem() {
        assertThatThrownBy(() -> new AuditLogConfig(0, java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpointEveryEntries")
                .hasMessageContaining("checkpointInterval");
        assertThat(ExportFormat.parse("JSONL")).isEqualTo(ExportFormat.JSONL);
        assertThatThrownBy(() -> ExportFormat.parse("xml")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void commandLineTimesAcceptDatesAndOffsetDateTimes() {
        assertThat(AuditExporter.parseTime("2026-11-23")).isEqualTo(java.time.Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(AuditExporter.parseTime("2026-11-23T09:00:00-05:00")).isEqualTo(java.time.Instant.parse("2026-11-23T14:00:00Z"));
        assertThat(AuditExporter.parseTime(" 2026-11-23T14:00:00.5Z ")).isEqualTo(java.time.Instant.parse("2026-11-23T14:00:00.500Z"));
        assertThatThrownBy(() -> AuditExporter.parseTime("yesterday")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> AuditExporter.parseTime("2026-11-23T14:00:00")).isInstanceOf(IllegalArgumentException.class);
    }
}
