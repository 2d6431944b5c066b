package org.wardline.server.retention;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wardline.server.http.WardlineHttpException;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The limits of a retention period, one line per case: the error code, or "ok". */
class RetentionRulesTest {
    @ParameterizedTest(name = "{0} {1} days, team {2}: {3}")
    @CsvSource({
            "MESSAGES, 0, false, retention.invalid",
            "MESSAGES, -1, false, retention.invalid",
            "MESSAGES, 1, false, ok",
            "FILES, 36500, true, ok",
            "FILES, 36501, false, retention.invalid",
            "SHARE_LINKS, 30, true, ok",
            "AUDIT, 365, false, retention.below_legal_floor",
            "AUDIT, 2191, false, retention.below_legal_floor",
            "AUDIT, 2192, false, ok",
            "AUDIT, 0, false, retention.invalid",
            "AUDIT, 3000, true, retention.invalid",
    })
    void periodsAreCheckedAgainstTheirLimits(RetentionKind kind, long days, boolean team, String expected) {
        UUID teamId = team ? UUID.randomUUID() : null;
        if (expected.equals("ok")) {
            assertThatCode(() -> RetentionRules.check(kind, teamId, days)).doesNotThrowAnyException();
        } else {
            Throwable thrown = catchThrowable(() -> RetentionRules.check(kind, teamId, days));
            assertThat(thrown).isInstanceOf(WardlineHttpException.class);
            WardlineHttpException e = (WardlineHttpException) thrown;
            assertThat(e.code().code()).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({"messages, MESSAGES", "files, FILES", "share_links, SHARE_LINKS", "audit, AUDIT"})
    void kindsHaveLowerCaseWireNames(String wire, RetentionKind kind) {
        assertThat(RetentionKind.parse(wire)).contains(kind);
        assertThat(kind.wireName()).isEqualTo(wire);
    }
}
