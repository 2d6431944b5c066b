package org.wardline.server.auth;

import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.AccountEvents;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An audit sink for tests: keeps every account event. */
public final class RecordingEvents implements AccountEvents {
    private final List<AccountEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(AccountEvent event) {
        events.add(event);
    }

    public List<AccountEvent> all() {
        return List.copyOf(events);
    }

    public List<AccountEvent> of(AccountEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    public void clear() {
        events.clear();
    }
}
