// What a person sees of conversations: the list (unread counts), one conversation's history with delivery and read
// receipts, its members, and the composer. Built from text nodes only (a message is never parsed as HTML).
import { el } from "../ui.js";
import { membersOf } from "../messaging/conversations.js";
import { safetyNumber } from "../mls/safetyNumbers.js";
import { timerInWords } from "../messaging/disappearing.js";

const USER = /^urn:wardline:user:([0-9a-f-]{36}):device:([0-9a-f-]{36})$/;

/** A colleague as the page names them: their name from the directory, until it arrives the start of their user ID. */
export function personOf(deviceUri, me, nameOf = () => null) {
  const m = USER.exec(deviceUri ?? "");
  if (!m) return "Unknown sender";
  if (deviceUri === me) return "You";
  if (me && m[1] === USER.exec(me)?.[1]) return "You (another device)";
  return nameOf(m[1]) ?? `Colleague ${m[1].slice(0, 8)}`;
}

export function titleOf(c, me, nameOf) {
  if (c.removed || !c.state) return "Conversation you were removed from";
  const others = [...new Set(membersOf(c.state).map((m) => m.device).filter((d) => d !== me).map((d) => personOf(d, me, nameOf)))];
  return others.length ? `Conversation with ${others.join(", ")}` : "Conversation with only you";
}

const time = (ms) => new Date(ms).toLocaleString([], { dateStyle: "short", timeStyle: "short" });

export function conversationList(conversations, me, currentId, onOpen, nameOf) {
  if (conversations.length === 0) {
    return el("p", { class: "empty" }, "No conversations yet. Start one with a colleague, or when a colleague adds this device to a conversation, it appears here.");
  }
  return el("ul", { class: "conversations" }, ...conversations.map((c) => {
    const open = el("button", { type: "button", "data-id": c.id }, el("span", { class: "title" }), el("span", { class: "unread" }));
    label(open, c, me, currentId, nameOf);
    open.addEventListener("click", () => onOpen(c.id));
    return el("li", {}, open);
  }));
}

function label(button, c, me, currentId, nameOf) {
  const title = titleOf(c, me, nameOf);
  button.querySelector(".title").textContent = title;
  button.querySelector(".unread").textContent = c.unread > 0 ? `${c.unread} unread` : "";
  button.setAttribute("aria-label", `${title}${c.unread > 0 ? `, ${c.unread} unread` : ""}`);
  if (c.id === currentId) button.setAttribute("aria-current", "true");
  else button.removeAttribute("aria-current");
}

/**
 * Shows the list in {@code area}: when the same conversations are listed in the same order, their buttons are
 * relabelled in place (a name or an unread count arriving neither moves keyboard focus nor replaces what a screen
 * reader is on); otherwise the list is built again and the focused conversation keeps focus.
 */
export function showConversationList(area, conversations, me, currentId, onOpen, nameOf) {
  const buttons = [...area.querySelectorAll("ul.conversations button[data-id]")];
  if (buttons.length > 0 && buttons.length === conversations.length && buttons.every((b, i) => b.dataset.id === conversations[i].id)) {
    buttons.forEach((b, i) => label(b, conversations[i], me, currentId, nameOf));
    return;
  }
  const focused = area.contains(document.activeElement) ? document.activeElement?.dataset?.id : undefined;
  area.replaceChildren(conversationList(conversations, me, currentId, onOpen, nameOf));
  if (focused) area.querySelector(`button[data-id="${focused}"]`)?.focus();
}

function receiptText(m) {
  if (m.status === "sending") return "Sending…";
  if (m.status === "failed") return m.failure === "offline" ? "Not sent: messaging is offline." : "Not sent.";
  if (m.readBy?.length) return "Read";
  if (m.deliveredTo?.length) return "Delivered";
  return "Sent";
}

function bodyOf(m, files) {
  if (m.undecryptable) return el("p", { class: "undecryptable" }, m.undecryptable);
  if (m.body?.kind === "file") return fileOf(m, files);
  return el("p", { class: "text" }, m.body?.text ?? "");
}

/** Which file announcement of a conversation this is, for its Download button and what became of its download. */
export const fileKey = (m) => m.local ?? `${m.sender}#${m.messageId}`;

/**
 * A file announced here: its name and size, a Download button, and what became of its last download.
 * @param {{onDownload: (m: object, key: string) => void, noteOf: (key: string) => ({text: string, kind: string} | undefined)} | undefined} files
 */
function fileOf(m, files) {
  const line = el("p", { class: "file-name" }, `File: ${m.body.name} (${formatSize(m.body.size)})`);
  if (!files) return line;
  const key = fileKey(m);
  const download = el("button", { type: "button", class: "secondary download", "data-file": key, "aria-label": `Download ${m.body.name}` },
    "Download");
  download.addEventListener("click", () => files.onDownload(m, key));
  const note = files.noteOf(key);
  return el("div", { class: "file" }, line, download, ...(note ? [el("p", { class: `file-note ${note.kind}` }, note.text)] : []));
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The conversation's disappearing-message timer in words, or "" when it has none. */
export function timerLine(c) {
  return c.ttlSeconds ? `Messages disappear ${timerInWords(c.ttlSeconds)} after they are sent, on every member's devices.` : "";
}

/** @param files what a file's Download button does and says (fileOf); without it, files are listed only */
export function historyList(c, me, nameOf, files) {
  const shown = c.history.filter((m) => !m.expired);
  if (shown.length === 0) {
    return el("p", { class: "empty" }, c.history.length ? "The messages here have disappeared: their time was up." : "No messages yet.");
  }
  return el("ol", { class: "history" }, ...shown.map((m) => m.notice ? noticeOf(m, me, nameOf)
    : el("li", { class: m.mine ? "mine" : "theirs" },
      el("p", { class: "meta" }, `${m.mine ? "You" : personOf(m.sender, me, nameOf)}, ${time(m.sentAt)}`
        + (typeof m.expiresAt === "number" ? `; disappears ${time(m.expiresAt)}` : "")),
      bodyOf(m, files),
      ...(m.mine ? [el("p", { class: "receipt" }, receiptText(m))] : []))));
}

/** A change every member is told of, in the conversation's own timeline. */
function noticeOf(m, me, nameOf) {
  return el("li", { class: "notice" }, el("p", { class: "meta" }, time(m.sentAt)),
    el("p", {}, `The safety number of ${personOf(m.device, me, nameOf)} (device ${USER.exec(m.device ?? "")?.[2]?.slice(0, 8) ?? "unknown"}) `
      + "changed: their device was set up again. Compare the new number under Members before sharing anything sensitive."));
}

/**
 * @param {{label: string, devices: Set<string>} | null} custodians the records-custodian devices (legal holds), when
 *        known: each is labelled, and the list says the conversation is under legal hold
 */
export function membersList(c, me, nameOf, custodians = null) {
  const members = c.state ? membersOf(c.state) : [];
  const mine = members.find((m) => m.device === me);
  const held = members.filter((m) => custodians?.devices.has(m.device));
  return el("details", { class: "members" },
    el("summary", {}, `Members (${members.length})${held.length ? ", under legal hold" : ""}`),
    el("ul", {}, ...members.map((m) => el("li", {}, `${personOf(m.device, me, nameOf)}: device ${USER.exec(m.device ?? "")?.[2] ?? "unknown"}`,
      ...(custodians?.devices.has(m.device) ? [" ", el("span", { class: "hold-label" }, `[${custodians.label}]`)] : []),
      ...(mine && m.device && m.device !== me ? [el("br"), safetyNumberOf(mine, m)] : [])))),
    ...(held.length ? [el("p", { class: "hold" }, "This conversation is under legal hold: the records custodian is a member "
      + "and keeps what is sent here for the legal matter.")] : []),
    el("p", { class: "hint" }, `Encryption epoch ${c.state ? c.state.groupContext.epoch : "–"}. Compare a safety number with `
      + "that colleague, in person or by phone: the same digits on both screens mean no one is in between."));
}

/** "Safety number: 12345 …", filled in once computed (5,200 SHA-256 rounds per member, kept once computed). */
function safetyNumberOf(mine, theirs) {
  const out = el("span", { class: "safety", "data-device": theirs.device }, "Safety number: computing…");
  safetyNumber(mine, theirs).then((digits) => { out.textContent = `Safety number: ${digits}`; },
    () => { out.textContent = "Safety number: could not be computed on this device."; });
  return out;
}
