// The signed-in browser's messaging connection: opens the socket, says HELLO, publishes this device's key packages,
// hands every delivery to the conversations (which keep it durably) and acknowledges it only then, sends messages
// and receipts, and reconnects with back-off when the network drops. It tells the page in words whether messaging
// is connected, and whether colleagues can add this device.
import { ackFrame, decode, encode, frame, Tag, Type } from "./frames.js";
import { openSocket } from "./socket.js";
import { indexedDbStore, openVault } from "../mls/stateVault.js";
import { keyPackageUpload, pruneKeyPackages } from "../mls/keyPackages.js";
import { ConversationError, Kind, openConversations, Receipt } from "./conversations.js";
import { hex as hexOf } from "../mls/keyPackages.js";
import { serverExternalSender } from "../mls/externalSenderPin.js";
import { legalHoldMembership } from "./legalHolds.js";
import { call } from "../api.js";

/** One-time key packages this browser publishes when it connects. */
const KEY_PACKAGES = 5;
const BACKOFF_MS = [1000, 2000, 5000, 10000, 30000];

export function deviceUriOf(device) {
  return `urn:wardline:user:${device.userId}:device:${device.deviceId}`;
}

/**
 * @param {string | (() => Promise<string>)} token the access token, or what answers the current one (renewed before it expires)
 * @param {(state: {online: boolean, text: string}) => void} onState
 * @param {(event: object) => void} onEvent conversation events (joined, message, receipt, removed, problem)
 */
export async function connectMessaging(device, token, onState, onEvent = () => {}) {
  const tokenNow = typeof token === "function" ? token : async () => token;
  const vault = await openVault(indexedDbStore());
  const deviceUri = deviceUriOf(device);
  let holds = null;
  const events = (event) => {
    if (event.type === "legal-hold" || event.type === "joined") holds?.check();
    if (event.type !== "legal-hold") onEvent(event);
  };
  const conversations = await openConversations(vault, deviceUri, { rootCertificates: [device.caCertificate] }, events);
  let ws = null;
  let nextId = 1;
  let closed = false;
  let attempt = 0;
  const waiting = new Map();

  function request(f) {
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error("Messaging is offline."));
    return new Promise((resolve, reject) => {
      waiting.set(f.requestId, { resolve, reject });
      ws.send(encode(f));
    });
  }

  const newFrame = (type) => frame(type, nextId++);

  async function onDeliver(f) {
    const acked = await conversations.deliver(f);
    if (acked.length === 0) return;
    const ack = ackFrame(newFrame(Type.ACK), acked);
    request(ack).catch(() => undefined); // not acknowledged: delivered again on the next connection, processed once
    if (Number(f.u64(Tag.KIND)) === Kind.EXTERNAL_PROPOSAL) { // a wiped device's removal, for any member to commit
      conversations.commitPending(hexOf(f.bytes(Tag.GROUP_ID)), newFrame, request).catch(() => undefined);
    }
    if (Number(f.u64(Tag.KIND)) === Kind.APPLICATION) {
      const entry = conversations.get(hexOf(f.bytes(Tag.GROUP_ID)))?.history.at(-1);
      if (entry?.body && entry.messageId === Number(f.u64(Tag.MESSAGE_ID))) {
        sendReceipt(f.bytes(Tag.GROUP_ID), entry, Receipt.DELIVERED);
      }
    }
  }

  function sendReceipt(groupId, entry, kind) {
    request(newFrame(Type.RECEIPT).with(Tag.GROUP_ID, groupId).with(Tag.MESSAGE_ID, BigInt(entry.messageId))
      .with(Tag.KIND, BigInt(kind)).with(Tag.SENDER, entry.sender)).catch(() => undefined);
  }

  let deliveries = Promise.resolve();
  function onFrame(event) {
    let answer;
    try {
      answer = decode(new Uint8Array(event.data));
    } catch {
      return;
    }
    if (answer.type === Type.DELIVER) {
      deliveries = deliveries.then(() => onDeliver(answer)).catch(() => undefined);
      return;
    }
    const pending = waiting.get(answer.requestId);
    if (!pending) return;
    waiting.delete(answer.requestId);
    pending.resolve(answer);
  }

  async function connect() {
    try {
      ws = await openSocket(device, await tokenNow());
    } catch (e) {
      onState({ online: false, text: `Messaging is offline: ${e.message}` });
      retry();
      return;
    }
    ws.onmessage = onFrame;
    ws.onclose = (event) => {
      for (const p of waiting.values()) p.reject(new Error("Messaging is offline."));
      waiting.clear();
      if (closed) return;
      if (event.code === 1008) {
        onState({ online: false, text: "Your session ended; sign in again to keep messaging." });
        return;
      }
      onState({ online: false, text: "Messaging is offline. Messages sent to you are kept on the server; reconnecting…" });
      retry();
    };
    const hello = await request(newFrame(Type.HELLO)).catch(() => null);
    if (!hello) return;
    if (hello.type !== Type.OK) {
      onState({ online: false, text: "Messaging refused this device's connection; sign in again." });
      return;
    }
    attempt = 0;
    const pending = Number(hello.u64(Tag.PENDING) ?? 0n);
    const connected = `Messaging connected. ${pending === 1 ? "1 message" : `${pending} messages`} waiting.`;
    onState({ online: true, text: connected });
    try {
      if (pending === 0) await pruneKeyPackages(vault); // no Welcome waits: spent packages' private halves can go
      const upload = await keyPackageUpload(vault, deviceUri, KEY_PACKAGES, nextId++);
      const answer = await request(upload);
      onState({ online: true, text: answer.type === Type.OK ? `${connected} Colleagues can add this device to conversations.`
        : `${connected} This device could not publish its keys (${answer.text(Tag.ERROR_CODE)}); colleagues cannot add it yet.` });
    } catch (e) {
      onState({ online: true, text: `${connected} This device's keys could not be kept: ${e.message}` });
    }
    holds?.check(); // holds placed or released while this device was away
  }

  function retry() {
    if (closed) return;
    const delay = BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)];
    setTimeout(() => { if (!closed) connect(); }, delay * (0.75 + Math.random() / 2));
  }

  holds = legalHoldMembership({
    get: async (path) => call("GET", path, undefined, { device, token: await tokenNow() }),
    conversations,
    claim: (devices) => claim(devices.map((d) => [Tag.DEVICE, d]), (d) => devices.includes(d), "The records custodian's devices could not be claimed.", "nobody was added"),
    ask: (f) => request(f),
    newFrame,
    onProblem: (text) => onEvent({ type: "problem", text }),
  });

  /** Claims a key package for every device of these users; refusals in words. */
  function claimDevices(userUrns, forbidden, nothingDone) {
    return claim(userUrns.map((u) => [Tag.USER, u]), (d) => userUrns.some((u) => d.startsWith(`${u}:device:`)), forbidden, nothingDone);
  }

  /** CLAIM_KEY_PACKAGES for these [tag, value] targets; the devices handed out that {@code wanted} accepts. */
  async function claim(targets, wanted, forbidden, nothingDone) {
    const out = newFrame(Type.CLAIM_KEY_PACKAGES);
    targets.forEach(([tag, value]) => out.with(tag, value));
    const claimed = await request(out);
    if (claimed.type !== Type.KEY_PACKAGES) {
      const code = claimed.text(Tag.ERROR_CODE);
      throw new ConversationError(code === "keypackage.unavailable"
        ? "This colleague has no device ready to be added yet; ask them to sign in on one, then try again."
        : code === "auth.forbidden" ? forbidden
          : `The server would not hand out this colleague's keys (${code}); ${nothingDone}.`, code);
    }
    const devices = claimed.all(Tag.DEVICE).map((d) => new TextDecoder().decode(d));
    const keyPackages = claimed.all(Tag.KEY_PACKAGE);
    return devices.map((d, i) => ({ device: d, keyPackage: keyPackages[i] })).filter((d) => d.keyPackage && wanted(d.device));
  }

  await connect();
  return {
    conversations,
    /**
     * Encrypts and sends {@code content} (text, or a file announcement's bytes); resolves with the history entry
     * (status "sent", or "failed" with the reason).
     */
    async send(id, content) {
      const { entry, frame: send } = await conversations.prepareSend(id, content, nextId++);
      let answer = null;
      try {
        answer = await request(send);
      } catch {
        answer = null;
      }
      const failure = !answer ? "offline" : answer.type === Type.OK ? null : answer.text(Tag.ERROR_CODE);
      await conversations.sent(id, entry, answer?.u64(Tag.MESSAGE_ID), failure, answer?.u64(Tag.EXPIRES_AT));
      entry.failure = failure;
      return entry;
    },
    /**
     * Starts a conversation with every device of these users ({@code urn:wardline:user:…}): claims their key packages,
     * then creates the group and adds them (conversations.start), its messages disappearing {@code ttlSeconds} after
     * they are sent when that is above 0. Resolves with the new conversation's ID.
     */
    async startConversation(userUrns, ttlSeconds = 0) {
      const invited = await claimDevices(userUrns, "You can start conversations only with colleagues of your care teams.",
        "nothing was started");
      const externalSender = await serverExternalSender(vault, device, await tokenNow());
      return conversations.start(invited, externalSender, newFrame, request, ttlSeconds);
    },
    /**
     * Adds every device of these users to a conversation (conversations.invite): they read what is sent from now on.
     * Resolves with how many devices were added.
     */
    async addToConversation(id, userUrns) {
      const invited = await claimDevices(userUrns, "You can add only colleagues of your care teams.", "nobody was added");
      const added = await conversations.invite(id, invited, newFrame, request);
      holds.check(); // a conversation under hold may need its custodian for the new member
      return added;
    },
    /** The records-custodian devices and their label ({label, devices: Set}), for the members list. */
    custodians: () => holds.labels(),
    /** Acts on what legal holds require of this device's conversations now; resolves with what it did. */
    checkLegalHolds: () => holds.check(),
    /** Marks a conversation read and tells the senders (read receipts). */
    async markRead(id) {
      const owed = await conversations.markRead(id);
      const c = conversations.get(id);
      owed.forEach((m) => sendReceipt(c.groupId, m, Receipt.READ));
    },
    close() {
      closed = true;
      ws?.close(1000, "signed out");
    },
  };
}
