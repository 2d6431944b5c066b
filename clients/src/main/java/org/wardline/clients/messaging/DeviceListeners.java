package org.wardline.clients.messaging;

import java.net.URI;
import java.util.List;

/**
 * The device listeners a client may connect to (every node of a cluster, or one server), tried in turn: the
 * client stays on one while it works and moves to the next after a failed attempt or a lost connection, so a
 * node that dies is left at the first reconnect. Moved on from the client's own thread only; read from any (file
 * transfers follow the current listener).
 */
final class DeviceListeners {
    private final List<URI> listeners;
    private volatile int current;

    DeviceListeners(List<URI> listeners) {
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("at least one device listener");
        }
        this.listeners = List.copyOf(listeners);
    }

    URI current() {
        return listeners.get(current);
    }

    void moveOn() {
        current = (current + 1) % listeners.size();
    }
}
