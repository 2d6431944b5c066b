package org.wardline.server.sharelink;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wardline.protocol.Secret;

import static org.assertj.core.api.Assertions.assertThat;

class RecipientMaskTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "EMAIL | patient@example.org     | p***@example.org",
            "EMAIL | j.doe+labs@mail.example | j***@mail.example",
            "EMAIL | @example.org            | ***",
            "PHONE | +1 (410) 555-0137       | ***0137",
            "PHONE | 0137                    | ***"})
    void theListShowsEnoughToTellLinksApartAndNoMore(RecipientKind kind, String address, String shown) {
        assertThat(RecipientMask.mask(kind, Secret.of(address))).isEqualTo(shown);
    }
}
