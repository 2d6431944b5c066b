// The signed-in browser's messaging connection: opens the socket, says HELLO, and tells the page (in words, for a
// status region) whether messaging is connected and how many messages wait, or that it is offline.
import { decode, encode, frame, Tag, Type } from "./frames.js";
import { openSocket } from "./socket.js";

/** @param {(state: {online: boolean, text: string}) => void} onState */
export async function connectMessaging(device, token, onState) {
  let ws;
  try {
    ws = await openSocket(device, token);
  } catch (e) {
    onState({ online: false, text: `Messaging is offline: ${e.message}` });
    return { close() {} };
  }
  ws.onclose = () => onState({ online: false, text: "Messaging is offline. Messages sent to you are kept on the server; reload to reconnect." });
  ws.onmessage = (event) => {
    let answer;
    try {
      answer = decode(new Uint8Array(event.data));
    } catch {
      return;
    }
    if (answer.requestId === 1 && answer.type === Type.OK) {
      const pending = Number(answer.u64(Tag.PENDING) ?? 0n);
      onState({ online: true, text: `Messaging connected. ${pending === 1 ? "1 message" : `${pending} messages`} waiting.` });
    } else if (answer.requestId === 1 && answer.type === Type.ERROR) {
      onState({ online: false, text: "Messaging refused this device's connection; sign in again." });
    }
  };
  ws.send(encode(frame(Type.HELLO, 1)));
  return { close: () => ws.close(1000, "signed out") };
}
