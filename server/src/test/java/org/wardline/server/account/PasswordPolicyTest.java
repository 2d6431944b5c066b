package org.wardline.server.account;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wardline.protocol.Secret;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordPolicyTest {
    private static final PasswordPolicy POLICY = PasswordPolicy.load();

    @Test
    void theBundledBreachedListIsLoaded() {
        assertThat(POLICY.size()).isGreaterThan(29_000);
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "short pw     | shorter than 12 characters",
            "123qweasdzxc | on the list of commonly used or breached passwords",
            "1QAZ2WSX3EDC | on the list of commonly used or breached passwords",
            "passwordpassword | on the list of commonly used or breached passwords",
            "aaaaaaaaaaaaaaaa | repetitive",
            "ababababababab | repetitive",
            "dr.house-rules-77 | contains the user name",
            "Wardline-2026-spring | built from the service's name"})
    void weakPasswordsAreRefusedWithAReason(String password, String reason) {
        assertThat(POLICY.refusal(Secret.of(password), "dr.house")).contains(reason);
    }

    @ParameterizedTest
    @CsvSource({"correct horse battery staple", "tr0ub4dor&3-plus-more", "ünïcödé pässphräse ok", "all lowercase no rules here"})
    void longUncommonPasswordsPassWithoutCompositionRules(String password) {
        assertThat(POLICY.refusal(Secret.of(password), "alice")).isEmpty();
    }

    @Test
    void lengthIsCountedInCharactersAndPassPhrasesOf128Fit() {
        String emoji = "🔒🔑🩺💊🏥🧬🩻🫀🧠🦴🩹";
        assertThat(emoji.length()).isEqualTo(22);
        assertThat(POLICY.refusal(Secret.of(emoji + "x"), "alice")).isEmpty();
        assertThat(POLICY.refusal(Secret.of(emoji), "alice")).contains("shorter than 12 characters");
        String phrase = "the quick brown fox jumps over the lazy dog ".repeat(3).substring(0, 128);
        assertThat(POLICY.refusal(Secret.of(phrase), "alice")).isEmpty();
        assertThat(POLICY.refusal(Secret.of(phrase + "x"), "alice")).contains("longer than 128 characters");
    }
}
