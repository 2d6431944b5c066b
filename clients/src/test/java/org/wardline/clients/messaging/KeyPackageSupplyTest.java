package org.wardline.clients.messaging;

import org.junit.jupiter.api.Test;
import org.wardline.protocol.mls.DeviceMlsIdentity;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.MlsSuites;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key-package supply against an upload double that decodes the frame with the real codec. */
class KeyPackageSupplyTest {
    private final DeviceMlsIdentity identity = DeviceMlsIdentity.generate(DeviceUri.of(UUID.randomUUID(), UUID.randomUUID()),
            MlsSuites.DEFAULT_ID);
    private final List<String> steps = new ArrayList<>();
    private final List<Frame> uploads = new ArrayList<>();
    private boolean refuse;

    private final KeyPackageSupply.Client client = new KeyPackageSupply.Client() {
        @Override
        public void persist() {
            steps.add("persist");
        }

        @Override
        public Frame await(Frame upload) throws Exception {
            steps.add("upload");
            uploads.add(FrameCodec.decode(FrameCodec.encode(upload)));
            if (refuse) {
                throw new MessagingException(MessagingException.CONNECTION_LOST, null);
            }
            return Frame.of(FrameType.OK, 0);
        }
    };

    @Test
    void aFreshDeviceReplacesWhatAnEarlierRunPublishedAndSavesThePrivateKeysBeforePublishing() throws Exception {
        KeyPackageSupply supply = new KeyPackageSupply(identity, false);
        supply.topUp(client);
        assertThat(steps).containsExactly("persist", "upload");
        Frame upload = uploads.get(0);
        assertThat(upload.u64(Tag.REPLACE, 0)).as("earlier packages' private keys are gone").isEqualTo(1);
        assertThat(upload.all(Tag.KEY_PACKAGE)).hasSize(KeyPackageSupply.BATCH);
        assertThat(upload.has(Tag.LAST_RESORT)).isTrue();
        assertThat(supply.bundles()).hasSize(KeyPackageSupply.BATCH);
        assertThat(supply.low()).isFalse();

        supply.topUp(client);
        assertThat(uploads).as("enough left: nothing published").hasSize(1);
    }

    @Test
    void aRestoredDeviceKeepsItsPublishedPackagesAndAFailedUploadTakesTheFreshOnesBack() throws Exception {
        KeyPackageSupply supply = new KeyPackageSupply(identity, true);
        refuse = true;
        assertThatThrownBy(() -> supply.topUp(client)).isInstanceOf(MessagingException.class);
        assertThat(uploads.get(0).has(Tag.REPLACE)).as("its earlier packages can still be opened").isFalse();
        assertThat(supply.bundles()).isEmpty();
        assertThat(supply.lastResort()).isNull();
        assertThat(supply.low()).isTrue();
    }
}
