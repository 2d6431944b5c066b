// This browser device's conversations: MLS groups (ts-mls) joined from Welcomes, kept in step with commits and
// proposals, decrypting and encrypting application messages, each group's state and history sealed in the vault.
// The rule of the Java SDK holds here: a delivery is acknowledged only once what it produced (the new group state,
// the message) is durable, in one IndexedDB transaction; one that cannot be processed yet is not acknowledged and
// comes again. Deliveries are handled one at a time, in the order the server pushes them (SEQ order).
import {
  acceptAll, createApplicationMessage, createCommit, createGroup, decodeExternalSender, decodeGroupState,
  decodeMlsMessage, emptyPskIndex, encodeExternalSenders, encodeGroupState, encodeMlsMessage, joinGroup,
  processPrivateMessage, processPublicMessage,
} from "ts-mls";
import { cipherSuite, hex, keyPackageFor, signingKeys } from "../mls/keyPackages.js";
import { newKeyPackage } from "../mls/deviceKeyPackage.js";
import { deviceUriOf, wardlineClientConfig } from "../mls/authenticationService.js";
import { decodePayload, encodeText } from "./payload.js";
import { frame, Tag, Type } from "./frames.js";
import { expireDue, isDue, nextExpiry, timerOf } from "./disappearing.js";

export const Kind = Object.freeze({
  COMMIT: 1, WELCOME: 2, PROPOSAL: 3, APPLICATION: 4, RECEIPT: 5, REMOVAL_REQUEST: 6, EXTERNAL_PROPOSAL: 12,
  LEGAL_HOLD_CHANGED: 16,
});
export const Receipt = Object.freeze({ DELIVERED: 1, READ: 2 });

const LINK_TAGS = ["WLH1", "WLR1"]; // the Java SDK's device-link conversations, never shown (PROTOCOL.md)
const utf8 = (bytes) => new TextDecoder("utf-8", { fatal: true }).decode(bytes);
const json = (value) => new TextEncoder().encode(JSON.stringify(value));
const parse = (bytes) => JSON.parse(new TextDecoder().decode(bytes));

/** The result of one delivery: acknowledge it now, or wait (an earlier commit has not arrived yet). */
const ACK = "ack";
const LATER = "later";
/** Acknowledged without being read: the ACK tells the server why (PROTOCOL.md, UNREAD). */
const UNREAD = Object.freeze({ UNDECRYPTABLE: { unread: "undecryptable" }, EARLIER_EPOCH: { unread: "epoch.earlier" },
  NOT_A_MEMBER: { unread: "conversation.unknown" } });

function isLink(groupId) {
  return groupId.length === 20 && LINK_TAGS.includes(String.fromCharCode(...groupId.subarray(0, 4)));
}

/** Every member leaf: {leafIndex, device, signatureKey}. */
export function membersOf(state) {
  const members = [];
  state.ratchetTree.forEach((node, i) => {
    if (node?.nodeType === "leaf" && i % 2 === 0) {
      members.push({ leafIndex: i / 2, device: deviceUriOf(node.leaf.credential), signatureKey: node.leaf.signaturePublicKey });
    }
  });
  return members;
}

/**
 * @param vault the sealed store (stateVault.js)
 * @param {string} deviceUri this device
 * @param {{rootCertificates: string[]}} trust Wardline's root CA, for the authentication service
 * @param {(event: object) => void} onEvent told of joins, messages, receipts and problems (in words)
 */
export async function openConversations(vault, deviceUri, trust, onEvent = () => {}) {
  const cs = await cipherSuite();
  let serverKey = null; // the pinned external sender's signature key, once known
  const pinned = await vault.load("pin", "external-sender");
  if (pinned) serverKey = decodeExternalSender(pinned, 0)?.[0]?.signaturePublicKey ?? null;
  const config = wardlineClientConfig({ ...trust, serverKey: () => serverKey });
  const aad = new TextEncoder().encode(deviceUri);
  /** id (group ID hex) → {id, groupId, state, history, removed, unread, createdAt, ttlSeconds} */
  const conversations = new Map();
  /** id → deliveries held until an earlier commit arrives */
  const held = new Map();
  let queue = Promise.resolve();

  const index = await vault.load("conversations", "index");
  for (const id of index ? parse(index) : []) {
    const meta = parse(await vault.load("conversation", id));
    const saved = await vault.load("group", id);
    const [state] = saved ? decodeGroupState(saved, 0) : [null];
    const history = parse(await vault.load("history", id));
    const c = { ...meta, groupId: Uint8Array.from(meta.groupId), state: state && { ...state, clientConfig: config }, history };
    conversations.set(id, c);
    if (expireDue(history, Date.now())) { // due while the page was shut
      countUnreadLeft(c);
      await vault.saveAll(records(c));
    }
  }

  function records(c, { withIndex = false } = {}) {
    const out = [
      ["conversation", c.id, json({ id: c.id, groupId: Array.from(c.groupId), removed: c.removed, unread: c.unread, createdAt: c.createdAt,
        ttlSeconds: c.ttlSeconds ?? null })],
      ["history", c.id, json(c.history)],
    ];
    if (c.state) out.push(["group", c.id, encodeGroupState(c.state)]);
    if (withIndex) out.push(["conversations", "index", json([...conversations.keys()])]);
    return out;
  }

  /** An unread count never counts messages that disappeared before they were read. */
  function countUnreadLeft(c) {
    c.unread = Math.min(c.unread, c.history.filter((m) => !m.mine && !m.notice && !m.expired && !m.readSent).length);
  }

  /** Runs {@code work} after everything queued before it: MLS state changes one at a time. */
  function serial(work) {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  }

  async function welcome(f, id) {
    if (conversations.has(id)) return ACK; // joined before the acknowledgement was lost
    const [message] = decodeMlsMessage(f.bytes(Tag.WELCOME), 0);
    if (message.wireformat !== "mls_welcome") throw new Error("not a Welcome");
    const kp = await keyPackageFor(vault, message.welcome);
    if (!kp) {
      onEvent({ type: "problem", text: "You were added to a conversation with a key this browser no longer has. Ask a member to add this device again." });
      return ACK;
    }
    const state = await joinGroup(message.welcome, kp.publicPackage, kp.privatePackage, emptyPskIndex, cs, undefined, undefined, config);
    if (membersOf(state).some((m) => m.device === null)) throw new Error("a member's credential names no device");
    const c = { id, groupId: f.bytes(Tag.GROUP_ID), state, history: [], removed: false, unread: 0, createdAt: Number(f.u64(Tag.SENT_AT) ?? 0n) };
    conversations.set(id, c);
    await vault.saveAll(records(c, { withIndex: true }));
    await vault.remove("key-package", kp.ref);
    onEvent({ type: "joined", id });
    return ACK;
  }

  async function handshake(f, c, check) {
    const epoch = f.u64(Tag.EPOCH);
    if (epoch > c.state.groupContext.epoch) return LATER;
    if (epoch < c.state.groupContext.epoch) return ACK; // applied before the acknowledgement was lost
    const [message] = decodeMlsMessage(f.bytes(Tag.PAYLOAD), 0);
    const result = message.wireformat === "mls_public_message"
      ? await processPublicMessage(c.state, message.publicMessage, emptyPskIndex, cs, check)
      : await processPrivateMessage(c.state, message.privateMessage, emptyPskIndex, cs, check);
    if (result.actionTaken === "reject") return ACK;
    const keysBefore = signatureKeys(c.state);
    c.state = { ...result.newState, clientConfig: config };
    const sentAt = Number(f.u64(Tag.SENT_AT) ?? 0n);
    for (const [device, key] of signatureKeys(c.state)) {
      // The same device with another signature key: it was set up again, and its safety number is new.
      if (device !== deviceUri && keysBefore.has(device) && keysBefore.get(device) !== key) {
        c.history.push({ notice: "safety-number-changed", device, sentAt, mine: false });
      }
    }
    await vault.saveAll(records(c));
    onEvent({ type: "changed", id: c.id });
    return ACK;
  }

  function signatureKeys(state) {
    return new Map(membersOf(state).map((m) => [m.device, hex(m.signatureKey)]));
  }

  async function application(f, c) {
    const epoch = f.u64(Tag.EPOCH);
    if (epoch > c.state.groupContext.epoch) return LATER;
    const sender = f.text(Tag.SENDER);
    const messageId = Number(f.u64(Tag.MESSAGE_ID));
    if (c.history.some((m) => m.messageId === messageId && m.sender === sender)) return ACK; // its key is spent
    const entry = { messageId, sender, sentAt: Number(f.u64(Tag.SENT_AT)), mine: false };
    const expiresAt = f.u64(Tag.EXPIRES_AT);
    if (expiresAt !== undefined && expiresAt !== null) {
      entry.expiresAt = Number(expiresAt);
      c.ttlSeconds = timerOf(entry) ?? c.ttlSeconds;
    }
    let outcome = ACK;
    try {
      const [message] = decodeMlsMessage(f.bytes(Tag.PAYLOAD), 0);
      if (message.wireformat !== "mls_private_message") throw new Error("not a private message");
      const claimed = utf8(message.privateMessage.authenticatedData);
      if (claimed !== sender || !membersOf(c.state).some((m) => m.device === sender)) throw new Error("sender mismatch");
      const result = await processPrivateMessage(c.state, message.privateMessage, emptyPskIndex, cs, acceptAll);
      if (result.kind !== "applicationMessage") throw new Error("not an application message");
      c.state = { ...result.newState, clientConfig: config };
      try {
        entry.body = decodePayload(result.message);
      } catch {
        entry.undecryptable = "A file was shared here, but its announcement could not be read on this device.";
      }
    } catch {
      const earlier = epoch < c.state.groupContext.epoch;
      entry.undecryptable = earlier ? "Sent before this device could read this conversation's current keys."
        : "This message could not be decrypted on this device.";
      outcome = earlier ? UNREAD.EARLIER_EPOCH : UNREAD.UNDECRYPTABLE;
    }
    c.history.push(entry);
    const gone = isDue(entry, Date.now()); // arrived after its time (a device long away): kept, never shown
    if (!gone) c.unread += 1;
    if (expireDue(c.history, Date.now())) countUnreadLeft(c);
    await vault.saveAll(records(c));
    if (!gone) onEvent({ type: "message", id: c.id, entry });
    return outcome;
  }

  async function receipt(f, c) {
    const p = f.bytes(Tag.PAYLOAD);
    const kind = p?.length === 1 ? p[0] : 0;
    const messageId = Number(f.u64(Tag.MESSAGE_ID));
    const mine = c.history.find((m) => m.mine && m.messageId === messageId);
    if (!mine || (kind !== Receipt.DELIVERED && kind !== Receipt.READ)) return ACK;
    const by = f.text(Tag.SENDER);
    const list = kind === Receipt.READ ? (mine.readBy ??= []) : (mine.deliveredTo ??= []);
    if (!list.includes(by)) list.push(by);
    await vault.saveAll([["history", c.id, json(c.history)]]);
    onEvent({ type: "receipt", id: c.id, messageId });
    return ACK;
  }

  /** A Remove the server signed as external sender must remove exactly the device it names. */
  function externalRemovalOf(f, c) {
    const removed = f.text(Tag.REMOVED);
    return (incoming) => {
      if (incoming.kind !== "proposal") return "reject";
      const p = incoming.proposal.proposal;
      if (p.proposalType !== "remove") return "reject";
      return membersOf(c.state).some((m) => m.leafIndex === p.remove.removed && m.device === removed) ? "accept" : "reject";
    };
  }

  async function process(f) {
    const kind = Number(f.u64(Tag.KIND));
    const groupId = f.bytes(Tag.GROUP_ID);
    const id = hex(groupId);
    if (isLink(groupId)) return ACK;
    if (kind === Kind.WELCOME) return welcome(f, id);
    const c = conversations.get(id);
    if (!c || c.removed || !c.state) return kind === Kind.APPLICATION ? UNREAD.NOT_A_MEMBER : ACK;
    switch (kind) {
      case Kind.COMMIT:
        if (f.all(Tag.REMOVED).some((d) => utf8(d) === deviceUri)) {
          c.removed = true;
          c.state = null;
          await vault.saveAll(records(c));
          await vault.remove("group", id);
          onEvent({ type: "removed", id });
          return ACK;
        }
        return handshake(f, c, acceptAll);
      case Kind.PROPOSAL:
        return handshake(f, c, acceptAll);
      case Kind.EXTERNAL_PROPOSAL:
        return handshake(f, c, externalRemovalOf(f, c));
      case Kind.APPLICATION:
        return application(f, c);
      case Kind.RECEIPT:
        return receipt(f, c);
      case Kind.LEGAL_HOLD_CHANGED:
        onEvent({ type: "legal-hold", id: c.id }); // the connection asks the server what the holds require now
        return ACK;
      default:
        return ACK; // removal requests are left to members on the Java clients for now
    }
  }

  /** Holds a delivery that waits for an earlier commit, and retries those held after one was applied. */
  async function deliverNow(f) {
    const id = hex(f.bytes(Tag.GROUP_ID));
    let outcome;
    try {
      outcome = await process(f);
    } catch (e) {
      onEvent({ type: "problem", id, text: e?.code === "storage.full" ? e.message
        : "A change to a conversation could not be applied on this device; it will be tried again when messaging reconnects." });
      return [];
    }
    if (outcome === LATER) {
      if (!held.has(id)) held.set(id, []);
      held.get(id).push(f);
      return [];
    }
    const acked = [{ seq: f.u64(Tag.SEQ), unread: outcome.unread }];
    if (outcome === ACK && Number(f.u64(Tag.KIND)) !== Kind.APPLICATION && held.has(id)) {
      const waiting = held.get(id);
      held.delete(id);
      for (const w of waiting) acked.push(...await deliverNow(w));
    }
    return acked;
  }

  return {
    /**
     * Processes one DELIVER frame; resolves with the deliveries that may now be acknowledged (they are durable):
     * {seq, unread}, unread the reason when one was kept without being read.
     */
    deliver: (f) => serial(() => deliverNow(f)),

    list() {
      return [...conversations.values()].sort((a, b) => lastAt(b) - lastAt(a));
    },
    get: (id) => conversations.get(id),

    /**
     * Encrypts {@code content} (text, or the bytes of a file announcement) for the conversation's current epoch; the
     * spent sending generation and the message (as "sending") are durable before the frame is handed back to be sent.
     */
    prepareSend: (id, content, requestId) => serial(async () => {
      const c = conversations.get(id);
      if (!c?.state || c.removed) throw new Error("You are no longer a member of this conversation.");
      const body = typeof content === "string" ? encodeText(content) : content;
      const { newState, privateMessage } = await createApplicationMessage(c.state, body, cs, aad);
      c.state = { ...newState, clientConfig: config };
      const entry = { local: crypto.randomUUID(), sender: deviceUri, sentAt: Date.now(), mine: true, status: "sending", body: decodePayload(body) };
      c.history.push(entry);
      await vault.saveAll(records(c));
      const payload = encodeMlsMessage({ version: "mls10", wireformat: "mls_private_message", privateMessage });
      return {
        entry,
        frame: frame(Type.SEND, requestId).with(Tag.GROUP_ID, c.groupId).with(Tag.EPOCH, c.state.groupContext.epoch).with(Tag.PAYLOAD, payload),
      };
    }),

    /**
     * Starts a conversation as the Java client does (createConversation, then invite): a new group with the server
     * as external sender, CREATE_CONVERSATION, then one commit adding every claimed device, with its Welcome, ADDED
     * and ROSTER. The conversation is kept here only once the server has accepted that commit; resolves with its ID.
     * @param {{device: string, keyPackage: Uint8Array}[]} invited key packages claimed for the colleagues' devices
     * @param {Uint8Array|null} externalSender the server's ExternalSender struct (null: the server has none)
     * @param {(type: number) => object} newFrame a frame with a fresh request ID
     * @param {(f: object) => Promise<object>} ask sends a frame and resolves with the server's answer
     */
    start: (invited, externalSender, newFrame, ask, ttlSeconds = 0) => serial(async () => {
      const adds = addProposals(invited, deviceUri);
      const groupId = crypto.getRandomValues(new Uint8Array(16));
      const own = await newKeyPackage(deviceUri, await signingKeys(vault), cs);
      const server = externalSender ? decodeExternalSender(externalSender, 0)?.[0] : null;
      if (externalSender && !server) throw new ConversationError("The server's removal key could not be read; nothing was started.");
      if (server) serverKey = server.signaturePublicKey;
      const extensions = server ? [{ extensionType: "external_senders", extensionData: encodeExternalSenders([server]) }] : [];
      const created = await createGroup(groupId, own.publicPackage, own.privatePackage, extensions, cs, config);
      const create = newFrame(Type.CREATE_CONVERSATION).with(Tag.GROUP_ID, groupId);
      if (externalSender) create.with(Tag.EXTERNAL_SENDER, externalSender);
      if (ttlSeconds > 0) create.with(Tag.TTL, BigInt(ttlSeconds));
      refusedUnless(await ask(create), Type.OK);
      const { newState, welcome, commit } = await createCommit({ state: created, cipherSuite: cs },
        { extraProposals: adds, ratchetTreeExtension: true, wireAsPublicMessage: true, authenticatedData: aad });
      const frameOut = newFrame(Type.COMMIT).with(Tag.GROUP_ID, groupId).with(Tag.EPOCH, 0n)
        .with(Tag.PAYLOAD, encodeMlsMessage(commit))
        .with(Tag.WELCOME, encodeMlsMessage({ version: "mls10", wireformat: "mls_welcome", welcome }));
      invited.forEach(({ device }) => frameOut.with(Tag.ADDED, device));
      membersOf(newState).forEach((m) => frameOut.with(Tag.ROSTER, `${m.leafIndex} ${m.device}`));
      refusedUnless(await ask(frameOut), Type.OK);
      const id = hex(groupId);
      const c = { id, groupId, state: { ...newState, clientConfig: config }, history: [], removed: false, unread: 0, createdAt: Date.now(),
        ttlSeconds: ttlSeconds > 0 ? ttlSeconds : null };
      conversations.set(id, c);
      await vault.saveAll(records(c, { withIndex: true }));
      onEvent({ type: "joined", id });
      return id;
    }),

    /**
     * Adds colleagues' devices to a conversation this device is a member of, as the Java client's invite does: one
     * commit with their Add proposals, its Welcome, ADDED and ROSTER. Devices already members are left out. The new
     * state is kept only once the server has accepted the commit; resolves with how many devices were added.
     * @param {{device: string, keyPackage: Uint8Array}[]} invited key packages claimed for the colleagues' devices
     */
    invite: (id, invited, newFrame, ask) => serial(async () => {
      const c = conversations.get(id);
      if (!c?.state || c.removed) throw new ConversationError("You are no longer a member of this conversation; nobody was added.");
      const present = new Set(membersOf(c.state).map((m) => m.device));
      const fresh = invited.filter(({ device }) => !present.has(device));
      if (fresh.length === 0) throw new ConversationError("Everyone you chose is already in this conversation.");
      const epoch = c.state.groupContext.epoch;
      const { newState, welcome, commit } = await createCommit({ state: c.state, cipherSuite: cs },
        { extraProposals: addProposals(fresh, deviceUri), ratchetTreeExtension: true, wireAsPublicMessage: true, authenticatedData: aad });
      const out = newFrame(Type.COMMIT).with(Tag.GROUP_ID, c.groupId).with(Tag.EPOCH, epoch)
        .with(Tag.PAYLOAD, encodeMlsMessage(commit))
        .with(Tag.WELCOME, encodeMlsMessage({ version: "mls10", wireformat: "mls_welcome", welcome }));
      fresh.forEach(({ device }) => out.with(Tag.ADDED, device));
      membersOf(newState).forEach((m) => out.with(Tag.ROSTER, `${m.leafIndex} ${m.device}`));
      refusedUnless(await ask(out), Type.OK, ADD_REFUSALS);
      c.state = { ...newState, clientConfig: config };
      await vault.saveAll(records(c));
      onEvent({ type: "changed", id });
      return fresh.length;
    }),

    /**
     * Removes these devices from the conversation (a records custodian's, when its hold is released): one commit of
     * their Remove proposals with REMOVED and ROSTER. Devices that are not members are left out; resolves with how
     * many were removed. The new state is kept only once the server has accepted the commit.
     */
    removeDevices: (id, devices, newFrame, ask) => serial(async () => {
      const c = conversations.get(id);
      if (!c?.state || c.removed) return 0;
      const leaving = membersOf(c.state).filter((m) => devices.includes(m.device) && m.device !== deviceUri);
      if (leaving.length === 0) return 0;
      const epoch = c.state.groupContext.epoch;
      const { newState, commit } = await createCommit({ state: c.state, cipherSuite: cs }, {
        extraProposals: leaving.map((m) => ({ proposalType: "remove", remove: { removed: m.leafIndex } })),
        ratchetTreeExtension: true, wireAsPublicMessage: true, authenticatedData: aad,
      });
      const out = newFrame(Type.COMMIT).with(Tag.GROUP_ID, c.groupId).with(Tag.EPOCH, epoch).with(Tag.PAYLOAD, encodeMlsMessage(commit));
      leaving.forEach((m) => out.with(Tag.REMOVED, m.device));
      membersOf(newState).forEach((m) => out.with(Tag.ROSTER, `${m.leafIndex} ${m.device}`));
      refusedUnless(await ask(out), Type.OK, ADD_REFUSALS);
      c.state = { ...newState, clientConfig: config };
      await vault.saveAll(records(c));
      onEvent({ type: "changed", id });
      return leaving.length;
    }),

    /**
     * Commits the proposals this device holds for the conversation (the server's external Removes after a wipe), as
     * any member may; the first member's commit wins, and a refused one (another member was first) changes nothing
     * here: that member's commit arrives as a delivery. Resolves with the new epoch, or null when nothing was done.
     */
    commitPending: (id, newFrame, ask) => serial(async () => {
      const c = conversations.get(id);
      if (!c?.state || c.removed || Object.keys(c.state.unappliedProposals ?? {}).length === 0) return null;
      const members = membersOf(c.state);
      const removed = Object.values(c.state.unappliedProposals).map((p) => p.proposal)
        .filter((p) => p.proposalType === "remove").map((p) => members.find((m) => m.leafIndex === p.remove.removed)?.device)
        .filter((d) => d && d !== deviceUri);
      const epoch = c.state.groupContext.epoch;
      const { newState, commit } = await createCommit({ state: c.state, cipherSuite: cs },
        { ratchetTreeExtension: true, wireAsPublicMessage: true, authenticatedData: aad });
      const out = newFrame(Type.COMMIT).with(Tag.GROUP_ID, c.groupId).with(Tag.EPOCH, epoch).with(Tag.PAYLOAD, encodeMlsMessage(commit));
      removed.forEach((d) => out.with(Tag.REMOVED, d));
      membersOf(newState).forEach((m) => out.with(Tag.ROSTER, `${m.leafIndex} ${m.device}`));
      const answer = await ask(out);
      if (answer?.type !== Type.OK || c.state.groupContext.epoch !== epoch) return null;
      c.state = { ...newState, clientConfig: config };
      await vault.saveAll(records(c));
      onEvent({ type: "changed", id });
      return c.state.groupContext.epoch;
    }),

    /** Records the server's answer to a SEND: its message ID (receipts name it), or that it was not sent. */
    sent: (id, entry, messageId, failure, expiresAt) => serial(async () => {
      const c = conversations.get(id);
      if (failure) entry.status = "failed";
      else {
        entry.status = "sent";
        entry.messageId = Number(messageId);
        if (expiresAt !== undefined && expiresAt !== null) entry.expiresAt = Number(expiresAt);
      }
      expireDue(c.history, Date.now());
      await vault.saveAll([["history", c.id, json(c.history)]]);
    }),

    /** Deletes every message whose time has come, here and in the vault; resolves with the conversations changed. */
    expire: () => serial(async () => {
      const now = Date.now();
      const changed = [...conversations.values()].filter((c) => expireDue(c.history, now));
      changed.forEach(countUnreadLeft);
      if (changed.length) await vault.saveAll(changed.flatMap((c) => records(c)));
      return changed.map((c) => c.id);
    }),

    /** When the next message disappears (ms since 1970), or null. */
    nextExpiry: () => nextExpiry([...conversations.values()].map((c) => c.history)),

    /** Marks the conversation's messages read here; resolves with those whose senders are owed a read receipt. */
    markRead: (id) => serial(async () => {
      const c = conversations.get(id);
      if (!c) return [];
      const owed = c.history.filter((m) => !m.mine && m.body && !m.readSent);
      owed.forEach((m) => { m.readSent = true; });
      c.unread = 0;
      await vault.saveAll(records(c));
      return owed;
    }),
  };
}

/** A conversation could not be started or changed; its message is for the person. */
export class ConversationError extends Error {
  constructor(message, code) {
    super(message);
    this.name = "ConversationError";
    this.code = code;
  }
}

/** Add proposals for claimed key packages, each checked to belong to the device it was claimed for. */
function addProposals(invited, self) {
  const adds = invited.map(({ device, keyPackage }) => {
    const [m] = decodeMlsMessage(keyPackage, 0) ?? [];
    if (m?.wireformat !== "mls_key_package" || deviceUriOf(m.keyPackage.leafNode.credential) !== device || device === self) {
      throw new ConversationError("A colleague's device offered keys that do not belong to it; nobody was added.");
    }
    return { proposalType: "add", add: { keyPackage: m.keyPackage } };
  });
  if (adds.length === 0) throw new ConversationError("Nobody could be added.");
  return adds;
}

const ADD_REFUSALS = {
  "auth.forbidden": "You can add only colleagues of your care teams.",
  "conversation.epoch_conflict": "The conversation changed at the same moment (someone else added or removed a member); nobody was added. Try again.",
  "conversation.not_member": "You are no longer a member of this conversation; nobody was added.",
};

const REFUSALS = {
  "auth.forbidden": "You can start conversations only with colleagues of your care teams.",
  "keypackage.unavailable": "This colleague has no device ready to be added yet; ask them to sign in on one, then try again.",
  "mls.external_sender_mismatch": "The server refused this conversation's removal key; nothing was started. Reload the page and try again.",
};

function refusedUnless(answer, type, refusals = REFUSALS) {
  if (answer?.type === type) return;
  const code = answer?.text(Tag.ERROR_CODE) ?? "unknown";
  throw new ConversationError(refusals[code] ?? (refusals === REFUSALS
    ? `The server refused the new conversation (${code}); nothing was started.`
    : `The server refused the change (${code}); nobody was added.`), code);
}

function lastAt(c) {
  return c.history.length ? c.history[c.history.length - 1].sentAt : c.createdAt;
}
