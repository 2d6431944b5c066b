// Notifications while the tab is open: a new message in a conversation that is not on screen is announced by the
// browser. The notification never carries what was written, nor who wrote it: it may show on a ward PC's screen or a
// phone's lock screen where anyone can read it. It says only that a message is waiting, and opens the conversation.

const TITLE = "New message in Wardline";
const BODY = "Open Wardline to read it.";

/** "unsupported", "default" (not asked yet), "granted" or "denied". */
export function notificationState(win = globalThis) {
  return "Notification" in win ? win.Notification.permission : "unsupported";
}

/** Asks the browser for permission (call it from a click); resolves with the new state. */
export async function askForNotifications(win = globalThis) {
  if (!("Notification" in win)) return "unsupported";
  return win.Notification.requestPermission();
}

/**
 * Whether a message in conversation {@code id} should be announced: only when permitted, and when the person is not
 * already looking at that conversation.
 */
export function shouldAnnounce({ id, openId, visible, state }) {
  return state === "granted" && !(visible && id === openId);
}

/**
 * Shows the notification for conversation {@code id}; one per conversation at a time (a later one replaces it).
 * @param {() => void} onOpen run when the person clicks it
 */
export function announce(id, onOpen, win = globalThis) {
  const n = new win.Notification(TITLE, { body: BODY, tag: `wardline-${id}` });
  n.onclick = () => {
    win.focus?.();
    onOpen();
    n.close();
  };
  return n;
}
