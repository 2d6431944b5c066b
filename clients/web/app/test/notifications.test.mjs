import { test } from "node:test";
import assert from "node:assert/strict";
import { announce, askForNotifications, notificationState, shouldAnnounce } from "../src/notifications.js";

function fakeWindow(permission) {
  const shown = [];
  class Notification {
    static permission = permission;
    static async requestPermission() { Notification.permission = "granted"; return "granted"; }
    constructor(title, options) { shown.push({ title, ...options }); this.closed = false; }
    close() { this.closed = true; }
  }
  return { Notification, shown, focused: 0, focus() { this.focused += 1; } };
}

test("a message is announced unless its conversation is on screen, and only with permission", () => {
  assert.equal(shouldAnnounce({ id: "a", openId: "a", visible: true, state: "granted" }), false);
  assert.equal(shouldAnnounce({ id: "a", openId: "a", visible: false, state: "granted" }), true, "tab in the background");
  assert.equal(shouldAnnounce({ id: "a", openId: "b", visible: true, state: "granted" }), true, "another conversation open");
  assert.equal(shouldAnnounce({ id: "a", openId: null, visible: false, state: "default" }), false);
  assert.equal(shouldAnnounce({ id: "a", openId: null, visible: false, state: "denied" }), false);
});

test("the notification says only that a message waits, one per conversation, and opens it", () => {
  const win = fakeWindow("granted");
  let opened = 0;
  const n = announce("c0ffee", () => { opened += 1; }, win);
  assert.deepEqual(win.shown, [{ title: "New message in Wardline", body: "Open Wardline to read it.", tag: "wardline-c0ffee" }]);
  n.onclick();
  assert.equal(opened, 1);
  assert.equal(win.focused, 1);
  assert.equal(n.closed, true);
});

test("the state and the request follow the browser", async () => {
  assert.equal(notificationState({}), "unsupported");
  const win = fakeWindow("default");
  assert.equal(notificationState(win), "default");
  assert.equal(await askForNotifications(win), "granted");
  assert.equal(await askForNotifications({}), "unsupported");
});
