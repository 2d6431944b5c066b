package org.wardline.clients.messaging;

import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceMlsIdentity;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.InvalidMlsMessageException;
import org.wardline.protocol.mls.KeyPackageBundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A device's MLS state, durable in its vault: its MLS signing identity, the key packages it has published with their
 * private keys, and every group's whole state ({@link ConversationGroup#saveState}). Saved as one record, replaced
 * atomically ({@link LocalVault#replace}) after every change, so a restarted device reads what was sent while it
 * was down. Each save carries a counter one higher than the last; the counter is also kept in a record of its own,
 * written after the state, in the vault and, when the vault was given one, outside it beside the identity
 * ({@link LocalVault#keepOutsideRecordsIn}), so a state file, or the whole vault directory, replaced by an older
 * copy (rollback) is detected. A state that does
 * not decrypt, is another device's, or is older than the counter is refused and set aside, never used to send.
 */
final class DeviceState {
    static final String KIND = "mls-state";
    static final String COUNTER_KIND = "mls-state-seq";
    private static final int FORMAT = 1;

    private final LocalVault vault;
    private final int keepEpochs;
    private long counter;

    /** What {@link #load} found: the saved state, or why there is none (null when the device is new). */
    record Loaded(Snapshot snapshot, String lost) {
    }

    /** Everything saved. */
    record Snapshot(DeviceMlsIdentity identity, List<KeyPackageBundle> bundles, KeyPackageBundle lastResort,
                    Map<ConversationId, ConversationGroup> groups) {
    }

    private DeviceState(LocalVault vault, int keepEpochs, long counter) {
        this.vault = vault;
        this.keepEpochs = keepEpochs;
        this.counter = counter;
    }

    /**
     * Opens the state of {@code device} in {@code vault}. {@link Loaded#lost} names, in words, why a saved state was
     * refused (it is then moved aside to {@code mls-state.state.rejected}).
     */
    static DeviceState open(LocalVault vault, int keepEpochs, DeviceUri device, java.util.function.Consumer<Loaded> loaded) {
        if (vault.isDestroyed()) {
            throw new IllegalStateException("the vault is closed or destroyed"); // not a reason to set the state aside
        }
        long seen;
        try {
            seen = readCounter(vault);
        } catch (IllegalStateException e) {
            if (Files.exists(vault.replaced(KIND))) {
                setAside(vault);
            }
            loaded.accept(new Loaded(null, "the saved MLS state's counter does not decrypt (altered)"));
            return new DeviceState(vault, keepEpochs, 0);
        }
        Optional<byte[]> saved;
        try {
            saved = vault.readReplaced(KIND);
        } catch (IllegalStateException e) {
            setAside(vault);
            loaded.accept(new Loaded(null, "the saved MLS state does not decrypt (truncated, altered or another vault's)"));
            return new DeviceState(vault, keepEpochs, seen);
        }
        if (saved.isEmpty()) {
            loaded.accept(new Loaded(null, seen > 0 ? "the saved MLS state is missing" : null));
            return new DeviceState(vault, keepEpochs, seen);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved.get()))) {
            if (in.readByte() != FORMAT) {
                throw new InvalidMlsMessageException("unknown state format");
            }
            if (!in.readUTF().equals(device.toString())) {
                setAside(vault);
                loaded.accept(new Loaded(null, "the saved MLS state is another device's"));
                return new DeviceState(vault, keepEpochs, seen);
            }
            long stateCounter = in.readLong();
            if (stateCounter < seen) {
                setAside(vault);
                loaded.accept(new Loaded(null, "the saved MLS state is older than the last one saved (rolled back)"));
                return new DeviceState(vault, keepEpochs, seen);
            }
            DeviceMlsIdentity identity = DeviceMlsIdentity.restore(device, in.readShort(), bytes(in));
            List<KeyPackageBundle> bundles = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                bundles.add(KeyPackageBundle.restore(bytes(in)));
            }
            KeyPackageBundle lastResort = in.readBoolean() ? KeyPackageBundle.restore(bytes(in)) : null;
            Map<ConversationId, ConversationGroup> groups = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                ConversationId id = new ConversationId(in.readUTF());
                groups.put(id, ConversationGroup.restore(identity, bytes(in)));
            }
            loaded.accept(new Loaded(new Snapshot(identity, bundles, lastResort, groups), null));
            return new DeviceState(vault, keepEpochs, stateCounter);
        } catch (IOException | InvalidMlsMessageException | RuntimeException e) {
            setAside(vault);
            loaded.accept(new Loaded(null, "the saved MLS state could not be read"));
            return new DeviceState(vault, keepEpochs, seen);
        }
    }

    /** Makes this state durable (synced, atomic) before returning. */
    void save(DeviceMlsIdentity identity, List<KeyPackageBundle> bundles, KeyPackageBundle lastResort,
              Map<ConversationId, ConversationGroup> groups) {
        if (vault.isDestroyed()) {
            return;
        }
        long next = counter + 1;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(identity.device().toString());
            out.writeLong(next);
            out.writeShort(identity.suite().getSuiteID());
            bytes(out, identity.signingPrivateKey());
            out.writeInt(bundles.size());
            for (KeyPackageBundle b : bundles) {
                bytes(out, b.save());
            }
            out.writeBoolean(lastResort != null);
            if (lastResort != null) {
                bytes(out, lastResort.save());
            }
            out.writeInt(groups.size());
            for (Map.Entry<ConversationId, ConversationGroup> e : groups.entrySet()) {
                out.writeUTF(e.getKey().hex());
                bytes(out, e.getValue().saveState(keepEpochs));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        vault.replace(KIND, bytes.toByteArray());
        vault.replace(COUNTER_KIND, ByteBuffer.allocate(8).putLong(next).array());
        vault.replaceOutside(COUNTER_KIND, ByteBuffer.allocate(8).putLong(next).array());
        counter = next;
    }

    /** The counter of the last state saved. */
    long counter() {
        return counter;
    }

    /**
     * The higher of the counter in the vault and the one outside it ({@link LocalVault#keepOutsideRecordsIn}, beside
     * the identity): a vault directory restored whole from an older copy brings its own old counter, not the outside one.
     */
    private static long readCounter(LocalVault vault) {
        long inside = vault.readReplaced(COUNTER_KIND).filter(b -> b.length == 8).map(b -> ByteBuffer.wrap(b).getLong()).orElse(0L);
        long outside = vault.readOutside(COUNTER_KIND).filter(b -> b.length == 8).map(b -> ByteBuffer.wrap(b).getLong()).orElse(0L);
        return Math.max(inside, outside);
    }

    private static void setAside(LocalVault vault) {
        try {
            Files.move(vault.replaced(KIND), vault.replaced(KIND).resolveSibling(KIND + ".state.rejected"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("truncated state");
        }
        return in.readNBytes(n);
    }
}
