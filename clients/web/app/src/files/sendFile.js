// Sending a file into a conversation, as the Java client's sendFile does: upload (scanned; only a committed file goes
// on), share it into the conversation, then announce it there in an end-to-end encrypted message encoded exactly as
// org.wardline.clients.messaging.Attachment. The server's copy must be the file chosen here (same SHA-256 and size),
// or nothing is shared.
import { encodeAttachment } from "../messaging/payload.js";
import { FileError, sha256Hex } from "./fileTransfer.js";

/**
 * @param {{transfer: object, send: (content: Uint8Array) => Promise<object>, groupIdHex: string, file: File,
 *   progress: (text: string) => void, reason?: string}} what transfer: fileTransfer(); send: the connection's send for
 *   this conversation; reason: why the sender sends it, when the policy asks for one
 * @returns {Promise<string>} what was done, in words
 */
export async function sendFile({ transfer, send, groupIdHex, file, progress, reason = "" }) {
  progress(`Checking “${file.name}” for malware and patient information…`);
  let local;
  try {
    local = await sha256Hex(new Uint8Array(await file.arrayBuffer()));
  } catch {
    throw new FileError("Not sent: this browser could not read the file. Choose it again.", "client.file_unreadable");
  }
  const stored = await transfer.upload(file, reason);
  try {
    if (stored.sha256 !== local || stored.size !== file.size) {
      throw new FileError("Not shared: the server's copy is not the file you chose (its SHA-256 differs). Tell your IT "
        + "security team.", "client.integrity");
    }
    progress(`Sharing “${file.name}” with the conversation…`);
    await transfer.share(groupIdHex, stored.id);
  } catch (e) {
    await transfer.withdraw(stored.id); // as `wardline share` does: a file nobody was given is not kept
    throw e;
  }
  const entry = await send(encodeAttachment({ fileId: stored.id, name: file.name, size: stored.size,
    contentType: stored.contentType, sha256: stored.sha256 }));
  if (entry.status !== "sent") {
    throw new FileError("The file passed the checks, but its announcement was not sent: messaging is offline. "
      + "Send the file again once messaging is connected.", "client.offline");
  }
  const allowed = stored.found ? ` The data-loss check found ${stored.found}; the policy allows it here.` : "";
  return `Sent “${file.name}”. It passed the malware and data-loss checks.${allowed}`;
}
