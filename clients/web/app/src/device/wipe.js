// Remote wipe (docs/adr/0006-remote-wipe.md) on a browser device: when the server says a wipe waits for this device,
// its conversations and messages (the sealed MLS store, with its vault key) and its device key are deleted from this
// browser, then the wipe is confirmed, signed with the key still held in memory. The server answers a lost device
// nothing else.
import { call } from "../api.js";
import { forgetDevice } from "./deviceStore.js";
import { destroyIndexedDbStore } from "../mls/stateVault.js";

export const WIPE_PATH = "/v1/devices/me/wipe";

/**
 * @returns {Promise<null | {confirmed: boolean}>} null when no wipe waits (or the server cannot be asked); otherwise
 *   the wipe was done here, and whether the server recorded its confirmation
 * @throws when the local data could not be destroyed (another tab holds it open): nothing is confirmed then
 */
export async function wipeIfCommanded(device, api = call) {
  let command;
  try {
    command = await api("POST", WIPE_PATH, undefined, { device }); // POST: a proof without a session's token (ADR 0015x)
  } catch {
    return null;
  }
  if (command?.wipe !== "pending") return null;
  await destroyIndexedDbStore();
  await forgetDevice();
  try {
    await api("POST", `${WIPE_PATH}/confirm`, undefined, { device });
    return { confirmed: true };
  } catch {
    return { confirmed: false };
  }
}
