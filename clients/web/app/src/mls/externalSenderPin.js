// The server's MLS external-sender key (the key that signs Remove proposals for wiped devices), which every new
// conversation lists in its external_senders extension. Pinned in the sealed vault the first time, as the Java SDK's
// ExternalSenderPin does: a server that later presents another key starts no conversation from this browser.
import { call } from "../api.js";
import { unb64 } from "./keyPackages.js";
import { ConversationError } from "../messaging/conversations.js";

export const PATH = "/v1/mls/external-sender";

/** The pinned key if it matches the one the server presents now, pinned first when there is none yet. */
export async function serverExternalSender(vault, device, token, get = (path) => call("GET", path, undefined, { device, token })) {
  const answer = await get(PATH);
  const presented = typeof answer?.externalSender === "string" ? unb64(answer.externalSender) : null;
  if (!presented || presented.length === 0) {
    throw new ConversationError("The server did not say which key signs removals; nothing was started. Try again later.");
  }
  const pinned = await vault.load("pin", "external-sender");
  if (!pinned) {
    await vault.save("pin", "external-sender", presented);
    return presented;
  }
  if (pinned.length !== presented.length || pinned.some((b, i) => b !== presented[i])) {
    throw new ConversationError("The server presented another removal key than the one this device trusts, so no "
      + "conversation was started. Tell your security officer.", "mls.external_sender_changed");
  }
  return presented;
}
