package org.wardline.storage.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link KeyProvider} must have. An implementation's test class implements this interface
 * and supplies {@link #testee()}, a provider with exactly one KEK version; shared through the test-jar.
 */
public interface KeyProviderContract {
    byte[] DATA_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    byte[] OBJECT_A = "object-a".getBytes(StandardCharsets.US_ASCII);
    byte[] OBJECT_B = "object-b".getBytes(StandardCharsets.US_ASCII);

    KeyProvider testee();

    @Test
    default void wrapThenUnwrapReturnsTheDataKey() {
        WrappedDataKey wrapped = testee().wrap(DATA_KEY, OBJECT_A);
        assertThat(wrapped.kek()).isEqualTo(testee().activeKek());
        assertThat(wrapped.ciphertext()).isNotEqualTo(DATA_KEY);
        assertThat(testee().unwrap(wrapped, OBJECT_A)).isEqualTo(DATA_KEY);
    }

    @Test
    default void wrappingTwiceGivesDifferentCiphertexts() {
        assertThat(testee().wrap(DATA_KEY, OBJECT_A).ciphertext())
                .isNotEqualTo(testee().wrap(DATA_KEY, OBJECT_A).ciphertext());
    }

    @Test
    default void aWrappedKeyIsBoundToItsAssociatedData() {
        WrappedDataKey wrapped = testee().wrap(DATA_KEY, OBJECT_A);
        assertThatThrownBy(() -> testee().unwrap(wrapped, OBJECT_B)).isInstanceOf(KeyUnwrapException.class);
    }

    @Test
    default void aTamperedWrappedKeyIsRefused() {
        WrappedDataKey wrapped = testee().wrap(DATA_KEY, OBJECT_A);
        byte[] bytes = wrapped.ciphertext();
        bytes[bytes.length - 1] ^= 1;
        assertThatThrownBy(() -> testee().unwrap(new WrappedDataKey(wrapped.kek(), bytes), OBJECT_A))
                .isInstanceOf(KeyUnwrapException.class)
                .hasMessageNotContaining(new String(DATA_KEY, StandardCharsets.US_ASCII));
    }

    @Test
    default void anUnknownKekVersionIsRefused() {
        WrappedDataKey wrapped = testee().wrap(DATA_KEY, OBJECT_A);
        assertThatThrownBy(() -> testee().unwrap(new WrappedDataKey(new KekId("nowhere:1"), wrapped.ciphertext()),
                OBJECT_A)).isInstanceOf(UnknownKekException.class);
    }

    @Test
    default void aNewKekVersionBecomesActiveAndOlderVersionsStillUnwrap() {
        KekId first = testee().activeKek();
        WrappedDataKey old = testee().wrap(DATA_KEY, OBJECT_A);

        KekId second = testee().createKekVersion();

        assertThat(second).isNotEqualTo(first);
        assertThat(testee().activeKek()).isEqualTo(second);
        assertThat(testee().kekIds()).containsExactly(first, second);
        assertThat(testee().wrap(DATA_KEY, OBJECT_A).kek()).isEqualTo(second);
        assertThat(testee().unwrap(old, OBJECT_A)).isEqualTo(DATA_KEY);
    }

    @Test
    default void aDataKeyCanBeWrappedUnderANamedOlderVersion() {
        KekId first = testee().activeKek();
        testee().createKekVersion();
        WrappedDataKey wrapped = testee().wrap(first, DATA_KEY, OBJECT_A);
        assertThat(wrapped.kek()).isEqualTo(first);
        assertThat(testee().unwrap(wrapped, OBJECT_A)).isEqualTo(DATA_KEY);
        assertThatThrownBy(() -> testee().wrap(new KekId("nowhere:1"), DATA_KEY, OBJECT_A))
                .isInstanceOf(UnknownKekException.class);
    }

    @Test
    default void aKeyWrappedUnderOneVersionDoesNotUnwrapUnderAnother() {
        WrappedDataKey old = testee().wrap(DATA_KEY, OBJECT_A);
        KekId second = testee().createKekVersion();
        assertThatThrownBy(() -> testee().unwrap(new WrappedDataKey(second, old.ciphertext()), OBJECT_A))
                .isInstanceOf(KeyUnwrapException.class);
    }

    @Test
    default void retiredVersionsNoLongerUnwrapAndTheActiveOneCannotBeRetired() {
        KekId first = testee().activeKek();
        WrappedDataKey old = testee().wrap(DATA_KEY, OBJECT_A);
        KekId second = testee().createKekVersion();

        assertThatThrownBy(() -> testee().retireKek(second)).isInstanceOf(IllegalStateException.class);
        testee().retireKek(first);

        assertThat(testee().kekIds()).containsExactly(second);
        assertThatThrownBy(() -> testee().unwrap(old, OBJECT_A)).isInstanceOf(UnknownKekException.class);
        assertThatThrownBy(() -> testee().retireKek(first)).isInstanceOf(UnknownKekException.class);
    }
}
