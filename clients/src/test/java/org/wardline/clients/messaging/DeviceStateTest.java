package org.wardline.clients.messaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceMlsIdentity;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.KeyPackageBundle;
import org.wardline.protocol.mls.MlsSuites;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The device's durable MLS state: restored as saved, and refused when truncated, altered, rolled back or foreign. */
class DeviceStateTest {
    @TempDir
    Path dir;

    private final DeviceUri device = DeviceUri.of(UUID.randomUUID(), UUID.randomUUID());
    private final DeviceMlsIdentity identity = DeviceMlsIdentity.generate(device, MlsSuites.DEFAULT_ID);

    private LocalVault vault() {
        return LocalVault.open(dir.resolve("vault"), "vault-pass".toCharArray()).keepOutsideRecordsIn(dir.resolve("identity"));
    }

    private DeviceState.Loaded load(DeviceUri who) {
        DeviceState.Loaded[] found = new DeviceState.Loaded[1];
        try (LocalVault v = vault()) {
            DeviceState.open(v, 8, who, l -> found[0] = l);
        }
        return found[0];
    }

    private void save(Map<ConversationId, ConversationGroup> groups, List<KeyPackageBundle> bundles) {
        try (LocalVault v = vault()) {
            DeviceState state = DeviceState.open(v, 8, device, l -> { });
            state.save(identity, bundles, null, groups);
        }
    }

    private Path stateFile() {
        return dir.resolve("vault").resolve("mls-state.state");
    }

    @Test
    void aSavedStateIsRestoredWithItsIdentityKeyPackagesAndGroups() {
        ConversationId id = new ConversationId("00112233445566778899aabbccddeeff");
        ConversationGroup group = ConversationGroup.create(identity, id.groupId());
        KeyPackageBundle bundle = identity.newKeyPackage();
        save(Map.of(id, group), List.of(bundle));

        DeviceState.Loaded loaded = load(device);
        assertThat(loaded.lost()).isNull();
        assertThat(loaded.snapshot().identity().signingPrivateKey()).isEqualTo(identity.signingPrivateKey());
        assertThat(loaded.snapshot().bundles()).singleElement().satisfies(b -> assertThat(b.encoded()).isEqualTo(bundle.encoded()));
        assertThat(loaded.snapshot().groups().get(id).epochAuthenticator()).isEqualTo(group.epochAuthenticator());
    }

    @Test
    void aNewDeviceHasNoStateAndNothingLost() {
        assertThat(load(device)).satisfies(l -> {
            assertThat(l.snapshot()).isNull();
            assertThat(l.lost()).isNull();
        });
    }

    @Test
    void anOlderCopyOfTheStateIsRefusedAsARollback() throws Exception {
        save(Map.of(), List.of());
        Path older = dir.resolve("older");
        Files.copy(stateFile(), older);
        save(Map.of(), List.of());
        Files.copy(older, stateFile(), StandardCopyOption.REPLACE_EXISTING);

        assertThat(load(device).lost()).contains("rolled back");
        assertThat(stateFile().resolveSibling("mls-state.state.rejected")).exists();
        assertThat(load(device).lost()).as("then it is missing").contains("missing");
    }

    /** The counter beside the identity catches a vault directory restored whole, its own counter and all. */
    @Test
    void aWholeVaultDirectoryRestoredFromAnOlderCopyIsRefusedAsARollback() throws Exception {
        save(Map.of(), List.of());
        Path vaultDir = dir.resolve("vault");
        Path older = dir.resolve("older-vault");
        copyTree(vaultDir, older);
        save(Map.of(), List.of());
        save(Map.of(), List.of());
        assertThat(dir.resolve("identity").resolve("vault.mls-state-seq.state")).exists();
        deleteTree(vaultDir);
        copyTree(older, vaultDir);

        assertThat(load(device).lost()).contains("rolled back");
    }

    @Test
    void theCounterOutsideIsDestroyedWithTheVault() {
        save(Map.of(), List.of());
        Path outside = dir.resolve("identity").resolve("vault.mls-state-seq.state");
        assertThat(outside).exists();
        vault().destroy();
        assertThat(outside).doesNotExist();
    }

    private static void copyTree(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Test
    void aTruncatedOrBitFlippedStateIsRefused() throws Exception {
        save(Map.of(), List.of());
        byte[] bytes = Files.readAllBytes(stateFile());
        bytes[bytes.length / 2] ^= 1;
        Files.write(stateFile(), bytes);
        assertThat(load(device).lost()).contains("does not decrypt");

        save(Map.of(), List.of());
        byte[] whole = Files.readAllBytes(stateFile());
        Files.write(stateFile(), java.util.Arrays.copyOf(whole, whole.length - 7));
        assertThat(load(device).lost()).contains("does not decrypt");
    }

    @Test
    void anotherDevicesStateIsRefused() {
        save(Map.of(), List.of());
        assertThat(load(DeviceUri.of(UUID.randomUUID(), UUID.randomUUID())).lost()).contains("another device");
    }
}
