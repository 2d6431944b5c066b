package org.wardline.clients.chat;

import org.junit.jupiter.api.Test;
import org.wardline.protocol.mls.DeviceUri;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ColleagueNamesTest {
    private static final DeviceUri KIM = DeviceUri.of(UUID.fromString("1a2b3c4d-0000-4000-8000-000000000001"),
            UUID.fromString("5e6f0000-0000-4000-8000-000000000002"));
    private static final DeviceUri KIM_PHONE = DeviceUri.of(KIM.user(), UUID.fromString("9abc0000-0000-4000-8000-000000000003"));
    private static final DeviceUri STRANGER = DeviceUri.of(UUID.fromString("77777777-0000-4000-8000-000000000004"),
            UUID.fromString("88880000-0000-4000-8000-000000000005"));

    @Test
    void aNamedColleagueIsShownByNameAndLookedUpOnce() {
        AtomicInteger lookUps = new AtomicInteger();
        ColleagueNames names = new ColleagueNames(user -> {
            lookUps.incrementAndGet();
            return user.equals(KIM.user()) ? Optional.of("Kim Park") : Optional.empty();
        });
        assertThat(names.person(KIM)).isEqualTo("Kim Park");
        assertThat(names.device(KIM_PHONE)).isEqualTo("Kim Park (1a2b3c4d/9abc)");
        assertThat(names.person(STRANGER)).as("no name for them: the short form").isEqualTo("77777777/8888");
        assertThat(names.device(STRANGER)).isEqualTo("77777777/8888");
        names.person(STRANGER);
        assertThat(lookUps).as("one look-up per user, answers kept").hasValue(2);
    }

    @Test
    void anUnreachableDirectoryShowsTheShortFormAndIsAskedAgainLater() {
        AtomicInteger lookUps = new AtomicInteger();
        ColleagueNames names = new ColleagueNames(user -> {
            if (lookUps.incrementAndGet() == 1) {
                throw new IllegalStateException("offline");
            }
            return Optional.of("Kim Park");
        });
        assertThat(names.person(KIM)).isEqualTo("1a2b3c4d/5e6f");
        assertThat(names.person(KIM)).isEqualTo("Kim Park");
    }

    @Test
    void theShortFormPrintedIsTakenBackAndAnAmbiguousOrUnknownOneIsExplained() {
        List<DeviceUri> members = List.of(KIM, KIM_PHONE, STRANGER);
        assertThat(ColleagueNames.parse("1a2b3c4d/9abc", members)).isEqualTo(KIM_PHONE);
        assertThat(ColleagueNames.parse("1A2B3C4D/5E6F", members)).as("case does not matter").isEqualTo(KIM);
        assertThat(ColleagueNames.parse(STRANGER.toString(), List.of())).as("a full URI needs no list").isEqualTo(STRANGER);
        assertThatThrownBy(() -> ColleagueNames.parse("00000000/0000", members))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no device 00000000/0000 here");
        DeviceUri twin = DeviceUri.of(KIM.user(), UUID.fromString("5e6f9999-0000-4000-8000-000000000006"));
        assertThatThrownBy(() -> ColleagueNames.parse("1a2b3c4d/5e6f", List.of(KIM, twin)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names several devices");
    }
}
