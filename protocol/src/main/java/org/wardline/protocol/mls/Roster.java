package org.wardline.protocol.mls;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group's leaves (leaf index → device URI) as the ROSTER values of a COMMIT frame, {@code "<index> <device URI>"}.
 * Plain metadata: the server uses it only to name a leaf in an external Remove, which members verify.
 */
public final class Roster {
    /** More leaves than any Wardline conversation has; a bound on what the server stores per commit. */
    public static final int MAX_LEAVES = 1000;

    private Roster() {
    }

    public static List<String> encode(Map<Integer, DeviceUri> leaves) {
        List<String> out = new ArrayList<>(leaves.size());
        leaves.forEach((index, device) -> out.add(index + " " + device));
        return out;
    }

    public static Map<Integer, DeviceUri> decode(List<String> values) throws InvalidMlsMessageException {
        if (values.size() > MAX_LEAVES) {
            throw new InvalidMlsMessageException("roster has too many leaves");
        }
        Map<Integer, DeviceUri> leaves = new LinkedHashMap<>();
        for (String v : values) {
            int space = v.indexOf(' ');
            int index;
            try {
                index = space > 0 ? Integer.parseInt(v.substring(0, space)) : -1;
            } catch (NumberFormatException e) {
                index = -1;
            }
            if (index < 0) {
                throw new InvalidMlsMessageException("roster entry without a leaf index");
            }
            DeviceUri device = DeviceUri.parse(v.substring(space + 1))
                    .orElseThrow(() -> new InvalidMlsMessageException("roster entry without a device URI"));
            if (leaves.put(index, device) != null || leaves.values().stream().filter(device::equals).count() > 1) {
                throw new InvalidMlsMessageException("roster names a leaf or a device twice");
            }
        }
        return leaves;
    }
}
