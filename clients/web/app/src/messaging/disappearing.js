// Disappearing messages: a conversation started with a timer (CREATE_CONVERSATION's TTL) has each of its messages
// deleted by the server when its time comes (EXPIRES_AT on the delivery and on the answer to a SEND), and this device
// deletes its own copy then too. What is kept of a message that disappeared is only what tells a replayed delivery
// from a new one (its ID and sender): no text, no file name, no receipts.

/** The timers a person can choose when starting a conversation, in seconds (the server allows up to 30 days). */
export const TIMER_CHOICES = Object.freeze([
  { seconds: 0, label: "Off: messages stay" },
  { seconds: 3600, label: "1 hour" },
  { seconds: 8 * 3600, label: "8 hours (one shift)" },
  { seconds: 24 * 3600, label: "1 day" },
  { seconds: 7 * 24 * 3600, label: "7 days" },
]);

/** "1 hour", "8 hours", "2 days", "90 seconds": a timer in words. */
export function timerInWords(seconds) {
  const units = [[86400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]];
  const [size, name] = units.find(([s]) => seconds >= s && seconds % s === 0) ?? [1, "second"];
  const n = seconds / size;
  return `${n} ${name}${n === 1 ? "" : "s"}`;
}

/** Whether the entry is a message whose time has come (a notice, or a message without a timer, never is). */
export function isDue(entry, now) {
  return !entry.expired && typeof entry.expiresAt === "number" && entry.expiresAt <= now;
}

/**
 * Replaces every due message of {@code history} by what is kept of it; true when any was.
 * @param {object[]} history one conversation's entries, changed in place
 */
export function expireDue(history, now) {
  let changed = false;
  history.forEach((entry, i) => {
    if (!isDue(entry, now)) return;
    history[i] = { expired: true, messageId: entry.messageId, sender: entry.sender, sentAt: entry.sentAt, mine: entry.mine,
      expiresAt: entry.expiresAt };
    changed = true;
  });
  return changed;
}

/** The earliest time one of these histories has a message due, or null. */
export function nextExpiry(histories) {
  let next = null;
  for (const history of histories) {
    for (const entry of history) {
      if (!entry.expired && typeof entry.expiresAt === "number" && (next === null || entry.expiresAt < next)) next = entry.expiresAt;
    }
  }
  return next;
}

/**
 * The conversation's timer in seconds as one of its messages shows it: the server sets a message's expiry from the
 * same clock reading as its sent time, so the difference is the timer exactly. Null for a message without one.
 */
export function timerOf(entry) {
  if (typeof entry.expiresAt !== "number" || typeof entry.sentAt !== "number") return null;
  const seconds = Math.round((entry.expiresAt - entry.sentAt) / 1000);
  return seconds > 0 ? seconds : null;
}
