// Signed in on an enrolled browser device: messaging's state, the conversations, one open conversation with its
// composer and its files (download, attach), or a new one being started, then which device this is, and signing out. On a phone the conversations
// come first; the device card is below them.
import { call } from "../api.js";
import { el, show } from "../ui.js";
import { connectMessaging, deviceUriOf } from "../messaging/connection.js";
import { colleagueDirectory } from "../directory/colleagues.js";
import { historyList, membersList, showConversationList, timerLine, titleOf } from "./conversationView.js";
import { addColleagueForm, newConversationForm } from "./newConversation.js";
import { announce, askForNotifications, notificationState, shouldAnnounce } from "../notifications.js";
import { passkeyCard } from "./passkeyCard.js";
import { attachFileForm } from "./attachFile.js";
import { fileTransfer, safeFileName, saveFile } from "../files/fileTransfer.js";
import { sendFile } from "../files/sendFile.js";

export function renderHome(main, { device, session, me, onSignedOut, onEnrollAgain }) {
  const deviceUri = deviceUriOf(device);
  const directory = colleagueDirectory((path) => session.tokens.with((token) => call("GET", path, undefined, { device, token })),
    () => { refreshList(); renderHistory(); });
  const nameOf = (userId) => directory.nameOf(userId);
  const signOut = el("button", { type: "button", class: "secondary" }, "Sign out");
  const messaging = el("p", { class: "status", role: "status", "aria-live": "polite" }, "Connecting to messaging…");
  const problems = el("p", { class: "status error", role: "alert", hidden: true });
  const listArea = el("div", {});
  const conversationArea = el("section", { class: "conversation", "aria-labelledby": "conversation-title", hidden: true });
  const startNew = el("button", { type: "button", class: "secondary new", disabled: true }, "New conversation");
  const nav = el("nav", { class: "conversation-list", "aria-labelledby": "conversations-title" },
    el("div", { class: "list-head" }, el("h2", { id: "conversations-title" }, "Conversations"), startNew), listArea);
  let openId = null;
  let connection = null;
  /** The records-custodian devices and their label (legal holds), once the server has said. */
  let custodians = null;
  const transfer = fileTransfer(device, session.tokens);
  /** file key (conversationView.fileKey) → what became of its last download: {text, kind} */
  const fileNotes = new Map();
  const files = { onDownload: download, noteOf: (key) => fileNotes.get(key) };

  const refreshList = () => {
    if (!connection) return;
    showConversationList(listArea, connection.conversations.list(), deviceUri, openId, openConversation, nameOf);
  };

  function renderConversation({ focusComposer = false, notice = "" } = {}) {
    const c = connection.conversations.get(openId);
    if (!c) return;
    const back = backButton();
    const addPeople = el("button", { type: "button", class: "secondary add-people", disabled: c.removed || !c.state ? true : null },
      "Add a colleague");
    addPeople.addEventListener("click", () => openAddColleague(c.id));
    const added = el("p", { class: "status ok", role: "status", hidden: !notice }, notice);
    const message = el("textarea", { id: "composer", rows: "2", required: true, disabled: c.removed || !c.state ? true : null });
    const send = el("button", { type: "submit", disabled: c.removed || !c.state ? true : null }, "Send");
    const sendStatus = el("p", { class: "status", role: "status", "aria-live": "polite", hidden: true });
    const form = el("form", { class: "composer" },
      el("label", { for: "composer" }, "Message"), message, send, sendStatus);
    message.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const text = message.value.trim();
      if (!text) return;
      send.disabled = true;
      try {
        const entry = await connection.send(openId, text);
        if (entry.status === "sent") message.value = "";
        sendStatus.hidden = entry.status === "sent";
        sendStatus.textContent = entry.status === "sent" ? "" : "Your message was not sent; it is kept in the box. Try again when messaging is connected.";
      } catch (err) {
        sendStatus.hidden = false;
        sendStatus.textContent = err.message;
      } finally {
        send.disabled = false;
        renderHistory();
        scheduleExpiry();
        message.focus();
      }
    });
    const log = el("div", { class: "history-area", role: "log", "aria-label": "Messages", tabindex: "0" });
    const attach = attachFileForm({ disabled: c.removed || !c.state, onSend: (file, progress, reason) => {
      const id = openId;
      return sendFile({ transfer, send: (content) => connection.send(id, content), groupIdHex: id, file, progress, reason })
        .finally(renderHistory);
    } });
    conversationArea.replaceChildren(back, el("h2", { id: "conversation-title" }, titleOf(c, deviceUri, nameOf)),
      el("p", { class: "timer hint" }), added, el("div", { class: "members-area" }), addPeople, log, form, attach);
    conversationArea.hidden = false;
    nav.classList.add("behind");
    renderHistory();
    connection.custodians().then((known) => {
      custodians = known;
      renderHistory();
    }, () => undefined); // without the list, members are shown unlabelled
    if (focusComposer) message.focus();
  }

  /** The open conversation's title, members and messages again, leaving the composer (and what is typed) alone. */
  function renderHistory() {
    const c = connection?.conversations.get(openId);
    const log = conversationArea.querySelector(".history-area");
    if (!c || !log) return;
    conversationArea.querySelector("h2").textContent = titleOf(c, deviceUri, nameOf);
    const timer = conversationArea.querySelector(".timer");
    timer.textContent = timerLine(c);
    timer.hidden = !timer.textContent;
    const members = conversationArea.querySelector(".members-area");
    const fresh = membersList(c, deviceUri, nameOf, custodians);
    const shown = members.querySelector("details");
    if (shown) { // kept, so that its state and what a keyboard or screen reader is on stay
      shown.querySelector("summary").textContent = fresh.querySelector("summary").textContent;
      shown.querySelector("ul").replaceWith(fresh.querySelector("ul"));
      shown.querySelector(".hold")?.remove();
      const hold = fresh.querySelector(".hold");
      if (hold) shown.querySelector(".hint").before(hold);
      shown.querySelector(".hint").replaceWith(fresh.querySelector(".hint"));
    } else {
      members.replaceChildren(fresh);
    }
    const focused = log.contains(document.activeElement) ? document.activeElement?.dataset?.file : undefined;
    log.replaceChildren(historyList(c, deviceUri, nameOf, files));
    if (focused) log.querySelector(`button[data-file="${CSS.escape(focused)}"]`)?.focus();
    else log.scrollTop = log.scrollHeight;
  }

  /** Downloads an announced file, checks it against the announcement's SHA-256, and saves it under its name. */
  async function download(m, key) {
    const note = (text, kind) => {
      fileNotes.set(key, { text, kind });
      renderHistory();
    };
    note(`Downloading “${m.body.name}”…`, "info");
    try {
      const bytes = await transfer.download(m.body);
      saveFile(bytes, safeFileName(m.body.name, m.body.fileId));
      note(`Saved “${m.body.name}”. Its SHA-256 matches the one the sender announced.`, "ok");
    } catch (e) {
      note(e?.message ?? "The file could not be downloaded; try again.", "bad");
    }
  }

  /** "Add a colleague" in place of the conversation; back to it when done or cancelled. */
  function openAddColleague(id) {
    const back = el("button", { type: "button", class: "secondary back-to-conversation" }, "Back to the conversation");
    const backToIt = (notice = "") => {
      if (openId !== id) return;
      renderConversation({ notice });
      if (!notice) conversationArea.querySelector(".add-people")?.focus();
    };
    back.addEventListener("click", () => backToIt());
    const form = addColleagueForm(directory, (urns) => connection.addToConversation(id, urns), (colleague, devices) => {
      refreshList();
      backToIt(`${colleague.displayName} was added (${devices === 1 ? "1 device" : `${devices} devices`}).`);
      conversationArea.querySelector("h2").setAttribute("tabindex", "-1");
      conversationArea.querySelector("h2").focus();
    }, () => backToIt());
    conversationArea.replaceChildren(back, form.node);
    form.focus();
  }

  function backButton() {
    const back = el("button", { type: "button", class: "secondary back" }, "Back to conversations");
    back.addEventListener("click", closeConversation);
    return back;
  }

  function closeConversation() {
    openId = null;
    conversationArea.hidden = true;
    nav.classList.remove("behind");
    refreshList();
    listArea.querySelector("button")?.focus();
  }

  startNew.addEventListener("click", () => {
    openId = null;
    refreshList();
    const form = newConversationForm(directory, (urns, ttl) => connection.startConversation(urns, ttl), (id) => {
      refreshList();
      openConversation(id, { focusComposer: true });
    }, closeConversation);
    conversationArea.replaceChildren(backButton(), form.node);
    conversationArea.hidden = false;
    nav.classList.add("behind");
    form.focus();
  });

  function openConversation(id, { focusComposer = false } = {}) {
    openId = id;
    renderConversation({ focusComposer });
    connection.markRead(id).then(refreshList);
    if (focusComposer) return;
    conversationArea.querySelector("h2").setAttribute("tabindex", "-1");
    conversationArea.querySelector("h2").focus();
  }

  /** Deletes each disappearing message when its time comes, even while nothing else happens on the page. */
  let expiryTimer = null;
  function scheduleExpiry() {
    if (!connection) return;
    clearTimeout(expiryTimer);
    const next = connection.conversations.nextExpiry();
    if (next === null) return;
    // setTimeout holds at most 2^31-1 ms; a later expiry is scheduled again on waking.
    expiryTimer = setTimeout(async () => {
      const changed = await connection.conversations.expire();
      if (changed.includes(openId)) renderHistory();
      if (changed.length) refreshList();
      scheduleExpiry();
    }, Math.min(Math.max(next - Date.now(), 0) + 50, 2 ** 31 - 1));
  }

  const onEvent = (event) => {
    if (event.type === "problem") {
      problems.textContent = event.text;
      problems.hidden = false;
      return;
    }
    scheduleExpiry();
    if (event.type === "message" && shouldAnnounce({ id: event.id, openId, visible: document.visibilityState === "visible",
      state: notificationState() })) {
      announce(event.id, () => openConversation(event.id));
    }
    if (event.id && event.id === openId) {
      renderHistory();
      if (event.type === "message" && document.visibilityState === "visible") connection.markRead(openId).then(refreshList);
    }
    refreshList();
  };

  const connecting = connectMessaging(device, () => session.tokens.current(), (state) => {
    messaging.textContent = state.text;
    messaging.className = state.online ? "status ok" : "status error";
  }, onEvent).then((c) => {
    connection = c;
    startNew.disabled = false;
    refreshList();
    scheduleExpiry();
    return c;
  }, (e) => {
    cannotStart(e);
    return { close() {} };
  });

  /** Messaging cannot start: what happened and what to do, with a button when enrolling again is the answer. */
  function cannotStart(e) {
    messaging.className = "status error";
    listArea.replaceChildren(el("p", { class: "empty" }, "Conversations cannot be shown on this device until messaging starts."));
    if (!device.caCertificate) {
      const again = el("button", { type: "button" }, "Enroll this browser again");
      again.addEventListener("click", async () => {
        again.disabled = true;
        await call("POST", "/v1/auth/logout", undefined, { device, token: session.tokens.accessToken }).catch(() => undefined);
        onEnrollAgain();
      });
      messaging.replaceChildren(
        el("strong", {}, "Messaging could not start on this device. "),
        "This browser was enrolled before Wardline kept a copy of its certificate authority here, so it cannot check "
          + "your colleagues' keys. Enroll this browser again (about a minute): sign in, and it gets a new key and "
          + "certificate. Messages sent to you wait on the server for your devices. ",
        again);
      return;
    }
    messaging.replaceChildren(el("strong", {}, "Messaging could not start on this device. "),
      `${e?.message ?? "Something went wrong."} Reload the page to try again; if it keeps failing, close other Wardline tabs `
        + "and check that this site may store data, or ask your IT service desk.");
  }

  signOut.addEventListener("click", async () => {
    clearTimeout(expiryTimer);
    (await connecting).close();
    await call("POST", "/v1/auth/logout", undefined, { device, token: session.tokens.accessToken }).catch(() => undefined);
    onSignedOut();
  });
  listArea.append(el("p", { class: "empty" }, "Loading conversations…"));
  show(main,
    el("div", { class: "signed-in" }, el("h1", {}, `Signed in as ${me.username}`), signOut),
    messaging, problems,
    el("div", { class: "chat" }, nav, conversationArea),
    el("section", { class: "device", "aria-labelledby": "device-title" },
      el("h2", { id: "device-title" }, "This device"),
      el("p", {}, `This browser is your device “${device.name}”. Every request it sends is signed with its own key.`),
      el("dl", {},
        el("dt", {}, "Device ID"), el("dd", {}, device.deviceId),
        el("dt", {}, "Certificate valid until"), el("dd", {}, new Date(device.notAfter).toLocaleString())),
      notificationsControl(),
      passkeyCard(device, (work) => session.tokens.with(work))));
}

/** Notifications on this browser: what they show, and a button to turn them on while the browser has not been asked. */
function notificationsControl() {
  const area = el("div", { class: "notifications" });
  const heading = el("h3", {}, "Notifications");
  const explain = "While this tab is open, a new message is announced by your browser. The notification never shows "
    + "what was written or by whom.";
  const render = () => {
    const state = notificationState();
    if (state === "unsupported") {
      area.replaceChildren(heading, el("p", { class: "hint" }, "This browser cannot show notifications."));
    } else if (state === "granted") {
      area.replaceChildren(heading, el("p", { class: "hint" }, `Notifications are on. ${explain}`));
    } else if (state === "denied") {
      area.replaceChildren(heading, el("p", { class: "hint" }, "Notifications are blocked for this site in your browser's settings. "
        + "Allow them there to hear of new messages while this tab is in the background."));
    } else {
      const turnOn = el("button", { type: "button", class: "secondary" }, "Turn on notifications");
      turnOn.addEventListener("click", async () => {
        turnOn.disabled = true;
        await askForNotifications().catch(() => undefined);
        render();
      });
      area.replaceChildren(heading, el("p", { class: "hint" }, explain), turnOn);
    }
  };
  render();
  return area;
}
