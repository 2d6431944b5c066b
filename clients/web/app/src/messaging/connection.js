// The signed-in browser's messaging connection: opens the socket, says HELLO, publishes this device's key packages,
// and tells the page (in words, for a status region) whether messaging is connected, how many messages wait and
// whether colleagues can add this device, or that it is offline.
import { decode, encode, frame, Tag, Type } from "./frames.js";
import { openSocket } from "./socket.js";
import { indexedDbStore, openVault } from "../mls/stateVault.js";
import { keyPackageUpload } from "../mls/keyPackages.js";

/** One-time key packages this browser publishes when it connects. */
const KEY_PACKAGES = 5;
const HELLO_ID = 1;
const UPLOAD_ID = 2;

/** @param {(state: {online: boolean, text: string}) => void} onState */
export async function connectMessaging(device, token, onState) {
  let ws;
  try {
    ws = await openSocket(device, token);
  } catch (e) {
    onState({ online: false, text: `Messaging is offline: ${e.message}` });
    return { close() {} };
  }
  let connected = "Messaging connected.";
  ws.onclose = () => onState({ online: false, text: "Messaging is offline. Messages sent to you are kept on the server; reload to reconnect." });
  ws.onmessage = (event) => {
    let answer;
    try {
      answer = decode(new Uint8Array(event.data));
    } catch {
      return;
    }
    if (answer.requestId === HELLO_ID && answer.type === Type.OK) {
      const pending = Number(answer.u64(Tag.PENDING) ?? 0n);
      connected = `Messaging connected. ${pending === 1 ? "1 message" : `${pending} messages`} waiting.`;
      onState({ online: true, text: connected });
      publishKeyPackages(ws, device).catch((e) => onState({ online: true, text: `${connected} This device's keys could not be kept: ${e.message}` }));
    } else if (answer.requestId === HELLO_ID && answer.type === Type.ERROR) {
      onState({ online: false, text: "Messaging refused this device's connection; sign in again." });
    } else if (answer.requestId === UPLOAD_ID && answer.type === Type.OK) {
      onState({ online: true, text: `${connected} Colleagues can add this device to conversations.` });
    } else if (answer.requestId === UPLOAD_ID && answer.type === Type.ERROR) {
      onState({ online: true, text: `${connected} This device could not publish its keys (${answer.text(Tag.ERROR_CODE)}); colleagues cannot add it yet.` });
    }
  };
  ws.send(encode(frame(Type.HELLO, HELLO_ID)));
  return { close: () => ws.close(1000, "signed out") };
}

async function publishKeyPackages(ws, device) {
  const vault = await openVault(indexedDbStore());
  const deviceUri = `urn:wardline:user:${device.userId}:device:${device.deviceId}`;
  ws.send(encode(await keyPackageUpload(vault, deviceUri, KEY_PACKAGES, UPLOAD_ID)));
}
