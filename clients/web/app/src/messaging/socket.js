// The messaging WebSocket on the public listener (ADR 0015s). A browser cannot set headers on a WebSocket, so the
// DPoP-bound access token and a fresh proof for GET on this wss:// address travel as offered subprotocols beside
// "wardline.v1", the one the server answers with. A proof is good for one upgrade: every reconnect makes a new one.
import { dpopProof } from "../device/dpop.js";

export const PROTOCOL = "wardline.v1";

/** The socket's address on this origin (wss:// on an https:// page). */
export function socketUrl(origin = location.origin) {
  const u = new URL("/v1/ws", origin);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  return u.href;
}

/** The subprotocols to offer for {@code device} signed in with {@code token}. */
export async function offeredProtocols(device, token, url) {
  const proof = await dpopProof(device, "GET", url, token);
  return [PROTOCOL, `dpop.proof.${proof}`, `dpop.token.${token}`];
}

/** Opens the socket; resolves once the server accepted it with the Wardline subprotocol. */
export async function openSocket(device, token, origin = location.origin) {
  const url = socketUrl(origin);
  const ws = new WebSocket(url, await offeredProtocols(device, token, url));
  ws.binaryType = "arraybuffer";
  await new Promise((resolve, reject) => {
    ws.onopen = () => (ws.protocol === PROTOCOL ? resolve() : reject(new Error("the server did not speak the Wardline protocol")));
    ws.onerror = () => reject(new Error("Wardline's messaging connection could not be opened. Check the network, then try again."));
  });
  return ws;
}
