package org.wardline.protocol.mls;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyPackageCheckTest {
    private final DeviceUri device = DeviceUri.of(UUID.randomUUID(), UUID.randomUUID());

    @Test
    void aPackageFromTheUploadingDevicePasses() throws Exception {
        byte[] kp = DeviceMlsIdentity.generate(device, MlsSuites.DEFAULT_ID).newKeyPackage().encoded();
        assertThat(KeyPackageCheck.verify(kp, MlsSuites.DEFAULT_ID, device)).isEqualTo(device);
        assertThat(MlsEnvelope.inspect(kp).wireFormat()).isEqualTo(MlsEnvelope.WireFormat.KEY_PACKAGE);
    }

    @Test
    void packagesNamingAnotherDeviceOrSuiteOrBadlySignedAreRefused() {
        DeviceUri other = DeviceUri.of(device.user(), UUID.randomUUID());
        byte[] foreign = DeviceMlsIdentity.generate(other, MlsSuites.DEFAULT_ID).newKeyPackage().encoded();
        assertThatThrownBy(() -> KeyPackageCheck.verify(foreign, MlsSuites.DEFAULT_ID, device))
                .isInstanceOf(InvalidMlsMessageException.class).hasMessageContaining("another device");
        byte[] suite1 = DeviceMlsIdentity.generate(device, MlsSuites.BENCHMARK_ID).newKeyPackage().encoded();
        assertThatThrownBy(() -> KeyPackageCheck.verify(suite1, MlsSuites.DEFAULT_ID, device))
                .isInstanceOf(InvalidMlsMessageException.class);
        byte[] tampered = DeviceMlsIdentity.generate(device, MlsSuites.DEFAULT_ID).newKeyPackage().encoded();
        tampered[tampered.length - 3] ^= 0x40;
        assertThatThrownBy(() -> KeyPackageCheck.verify(tampered, MlsSuites.DEFAULT_ID, device))
                .isInstanceOf(InvalidMlsMessageException.class);
        byte[] truncated = Arrays.copyOf(foreign, foreign.length / 2);
        assertThatThrownBy(() -> KeyPackageCheck.verify(truncated, MlsSuites.DEFAULT_ID, device))
                .isInstanceOf(InvalidMlsMessageException.class);
    }

    @Test
    void deviceUrisParseOnlyInCanonicalForm() {
        assertThat(DeviceUri.parse(device.toString())).contains(device);
        assertThat(DeviceUri.parse(device.toString().toUpperCase())).isEmpty();
        assertThat(DeviceUri.parse(device + "x")).isEmpty();
        assertThat(DeviceUri.parse("urn:wardline:user:test:device:test")).isEmpty();
    }

    @Test
    void garbageIsNeverAnythingButInvalid() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 5_000; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            if (junk.length > 4) {
                junk[0] = 0;
                junk[1] = 1;
                junk[2] = 0;
                junk[3] = (byte) (1 + random.nextInt(5));
            }
            try {
                MlsEnvelope.inspect(junk);
            } catch (InvalidMlsMessageException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }
}
