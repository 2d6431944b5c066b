// Signed in on an enrolled browser device: who, on which device, messaging's state, the conversations, one open
// conversation with its composer, and signing out.
import { call } from "../api.js";
import { el, show } from "../ui.js";
import { connectMessaging, deviceUriOf } from "../messaging/connection.js";
import { conversationList, historyList, membersList, titleOf } from "./conversationView.js";

export function renderHome(main, { device, session, me, onSignedOut }) {
  const deviceUri = deviceUriOf(device);
  const signOut = el("button", { type: "button", class: "secondary" }, "Sign out");
  const messaging = el("p", { class: "status", role: "status", "aria-live": "polite" }, "Connecting to messaging…");
  const problems = el("p", { class: "status error", role: "alert", hidden: true });
  const listArea = el("div", {});
  const conversationArea = el("section", { class: "conversation", "aria-labelledby": "conversation-title", hidden: true });
  const nav = el("nav", { class: "conversation-list", "aria-labelledby": "conversations-title" },
    el("h2", { id: "conversations-title" }, "Conversations"), listArea);
  let openId = null;
  let connection = null;

  const refreshList = () => {
    if (!connection) return;
    listArea.replaceChildren(conversationList(connection.conversations.list(), deviceUri, openId, openConversation));
  };

  function renderConversation({ focusComposer = false } = {}) {
    const c = connection.conversations.get(openId);
    if (!c) return;
    const back = el("button", { type: "button", class: "secondary back" }, "Back to conversations");
    back.addEventListener("click", () => {
      openId = null;
      conversationArea.hidden = true;
      nav.classList.remove("behind");
      refreshList();
      listArea.querySelector("button")?.focus();
    });
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
        message.focus();
      }
    });
    const log = el("div", { class: "history-area", role: "log", "aria-label": "Messages", tabindex: "0" });
    conversationArea.replaceChildren(back, el("h2", { id: "conversation-title" }, titleOf(c, deviceUri)),
      el("div", { class: "members-area" }), log, form);
    conversationArea.hidden = false;
    nav.classList.add("behind");
    renderHistory();
    if (focusComposer) message.focus();
  }

  /** The open conversation's title, members and messages again, leaving the composer (and what is typed) alone. */
  function renderHistory() {
    const c = connection.conversations.get(openId);
    const log = conversationArea.querySelector(".history-area");
    if (!c || !log) return;
    conversationArea.querySelector("h2").textContent = titleOf(c, deviceUri);
    const members = conversationArea.querySelector(".members-area");
    const wasOpen = members.querySelector("details")?.open;
    members.replaceChildren(membersList(c, deviceUri));
    if (wasOpen) members.querySelector("details").open = true;
    log.replaceChildren(historyList(c, deviceUri));
    log.scrollTop = log.scrollHeight;
  }

  function openConversation(id) {
    openId = id;
    renderConversation();
    connection.markRead(id).then(refreshList);
    conversationArea.querySelector("h2").setAttribute("tabindex", "-1");
    conversationArea.querySelector("h2").focus();
  }

  const onEvent = (event) => {
    if (event.type === "problem") {
      problems.textContent = event.text;
      problems.hidden = false;
      return;
    }
    if (event.id && event.id === openId) {
      renderHistory();
      if (event.type === "message" && document.visibilityState === "visible") connection.markRead(openId).then(refreshList);
    }
    refreshList();
  };

  const connecting = connectMessaging(device, session.accessToken, (state) => {
    messaging.textContent = state.text;
    messaging.className = state.online ? "status ok" : "status error";
  }, onEvent).then((c) => {
    connection = c;
    refreshList();
    return c;
  }, (e) => {
    messaging.textContent = `Messaging could not start on this device: ${e.message}`;
    messaging.className = "status error";
    return { close() {} };
  });

  signOut.addEventListener("click", async () => {
    (await connecting).close();
    await call("POST", "/v1/auth/logout", undefined, { device, token: session.accessToken }).catch(() => undefined);
    onSignedOut();
  });
  listArea.append(el("p", { class: "empty" }, "Loading conversations…"));
  show(main,
    el("h1", {}, `Signed in as ${me.username}`),
    el("div", { class: "device" },
      el("p", { class: "status ok", role: "status" }, `This browser is your device “${device.name}”. Every request it sends is signed with its own key.`),
      el("dl", {},
        el("dt", {}, "Device ID"), el("dd", {}, device.deviceId),
        el("dt", {}, "Certificate valid until"), el("dd", {}, new Date(device.notAfter).toLocaleString())),
      messaging, problems, signOut),
    el("div", { class: "chat" }, nav, conversationArea));
}
