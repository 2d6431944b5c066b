// This browser device's part in legal holds that require the records custodian (ADR 0010), as the Java SDK's
// LegalHoldMembership does it: when messaging connects, when the server says a hold changed, and after this device
// starts, joins or adds to a conversation, it asks what the holds require and, in each conversation it is in, adds
// the custodian's missing devices and removes those of a released hold. Any member may; the first commit wins and
// the others find it done. One check at a time; checks asked for while one runs are merged into the next.
import { hex, unb64 } from "../mls/keyPackages.js";
import { membersOf } from "./conversations.js";

export const REQUIREMENTS = "/v1/legal-holds/custodian-requirements";
export const CUSTODIANS = "/v1/legal-holds/custodians";

/**
 * @param {(path: string) => Promise<object>} get an authorized GET on the public listener
 * @param {object} conversations this device's conversations (openConversations)
 * @param {(devices: string[]) => Promise<{device: string, keyPackage: Uint8Array}[]>} claim key packages of devices
 * @param {(f: object) => Promise<object>} ask sends a frame, resolves with the answer
 * @param {(type: number) => object} newFrame
 * @param {(text: string) => void} onProblem told, in words, of a change that could not be made
 */
export function legalHoldMembership({ get, conversations, claim, ask, newFrame, onProblem = () => {} }) {
  let running = null;
  let again = false;
  let designated = null; // {label, devices: Set}

  async function syncOnce() {
    const asked = await get(REQUIREMENTS);
    let added = 0;
    let removed = 0;
    for (const r of asked?.conversations ?? []) {
      const id = hex(unb64(r.groupId));
      const c = conversations.get(id);
      if (!c?.state || c.removed) continue;
      const present = new Set(membersOf(c.state).map((m) => m.device));
      const missing = (r.addDevices ?? []).filter((d) => !present.has(d));
      if (missing.length === 0) continue;
      try {
        const invited = await claim(missing);
        if (invited.length) added += await conversations.invite(id, invited, newFrame, ask);
      } catch (e) {
        if (e?.code !== "conversation.epoch_conflict") onProblem(`The records custodian could not be added to a conversation under legal hold: ${e.message}`);
      }
    }
    for (const r of asked?.released ?? []) {
      const id = hex(unb64(r.groupId));
      if (!conversations.get(id)?.state) continue;
      try {
        removed += await conversations.removeDevices(id, r.removeDevices ?? [], newFrame, ask);
      } catch (e) {
        if (e?.code !== "conversation.epoch_conflict") onProblem(`The records custodian could not be removed after a legal hold ended: ${e.message}`);
      }
    }
    if (added || removed) designated = null; // labels asked for again
    return { added, removed };
  }

  return {
    /** Asks for a check; resolves when a check that started after this call has finished. */
    check() {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        let result;
        do {
          again = false;
          result = await syncOnce().catch(() => ({ added: 0, removed: 0, failed: true }));
        } while (again);
        running = null;
        return result;
      })();
      return running;
    },

    /** The label of records-custodian devices, for those among {@code devices}: device URI → label. */
    async labels() {
      if (!designated) {
        const answer = await get(CUSTODIANS);
        designated = { label: answer?.label ?? "legal hold (records custodian)", devices: new Set(answer?.devices ?? []) };
      }
      return designated;
    },
  };
}
