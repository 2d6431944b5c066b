package org.wardline.clients.chat;

import org.wardline.protocol.mls.DeviceUri;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What the chat client prints for people and devices: a user's display name from the server's directory instead
 * of their ID, and a device's short form ({@code 1a2b3c4d/5e6f}: the first characters of its user and device IDs),
 * which every command that takes a device accepts back. Names are looked up once per user and kept for the session;
 * a user the directory does not name to this device (no shared conversation) keeps the short form.
 */
final class ColleagueNames {
    private final Function<UUID, Optional<String>> directory;
    private final Map<UUID, Optional<String>> names = new ConcurrentHashMap<>();

    /** @param directory a user's display name, empty when the directory does not name them; may throw when offline */
    ColleagueNames(Function<UUID, Optional<String>> directory) {
        this.directory = directory;
    }

    /** The short form of a device, as printed and accepted back: {@code <8 of the user ID>/<4 of the device ID>}. */
    static String shortForm(DeviceUri d) {
        return d.user().toString().substring(0, 8) + "/" + d.device().toString().substring(0, 4);
    }

    /** The user's display name, or the device's short form when the directory has no name for them (or is unreachable). */
    String person(DeviceUri d) {
        Optional<String> known = names.get(d.user());
        if (known == null) {
            try {
                known = directory.apply(d.user());
                names.put(d.user(), known);
            } catch (RuntimeException offline) {
                known = Optional.empty(); // not kept: asked again once the server answers
            }
        }
        return known.orElseGet(() -> shortForm(d));
    }

    /** The person and the device, for lines where several devices of one user may appear: {@code Kim Park (1a2b3c4d/5e6f)}. */
    String device(DeviceUri d) {
        String person = person(d);
        String shortForm = shortForm(d);
        return person.equals(shortForm) ? shortForm : person + " (" + shortForm + ")";
    }

    /**
     * The device a typed word names: a full device URI, or the short form of exactly one of {@code known}.
     *
     * @throws IllegalArgumentException when it names none, or several
     */
    static DeviceUri parse(String typed, Collection<DeviceUri> known) {
        Optional<DeviceUri> full = DeviceUri.parse(typed);
        if (full.isPresent()) {
            return full.get();
        }
        List<DeviceUri> matches = known.stream().distinct().filter(d -> shortForm(d).equalsIgnoreCase(typed)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        throw new IllegalArgumentException(matches.isEmpty()
                ? "no device " + typed + " here: give a device URI or the short form /members shows (1a2b3c4d/5e6f)"
                : "the short form " + typed + " names several devices: give the full device URI");
    }
}
