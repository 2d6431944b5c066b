// Colleagues as people, not IDs: a name for each user ID the page shows (asked of the server once per user ID, and
// only answered for people one shares a conversation with), and a colleague found by exact user name (the directory
// answers exact names only, ADR 0021u). Both through the DPoP-signed API of this browser device.
import { ApiError, call } from "../api.js";

const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const USER_NAME = /^[\p{L}\p{N}._@+-]{1,128}$/u;

/**
 * @param {(path: string) => Promise<object>} get a signed GET on this origin
 * @param {() => void} onLearnt told when a name arrives, so the page can show it
 */
export function colleagueDirectory(get, onLearnt = () => {}) {
  /** user ID → display name, or null while asked or when the server does not name them */
  const names = new Map();

  return {
    /** The name of a user ID when known; asks the server the first time, and says when it is known. */
    nameOf(userId) {
      if (!USER_ID.test(userId ?? "")) return null;
      if (!names.has(userId)) {
        names.set(userId, null);
        get(`/v1/directory/colleagues/${userId}`).then((answer) => {
          if (answer?.urn === `urn:wardline:user:${userId}` && typeof answer.displayName === "string") {
            names.set(userId, answer.displayName);
            onLearnt();
          }
        }, () => undefined); // unnamed: the page keeps its short form of the ID
      }
      return names.get(userId);
    },

    /**
     * The colleague with exactly this user name: {userId, urn, username, displayName}; null when there is none.
     * @throws {ApiError} when the directory cannot answer (offline, not allowed)
     */
    async find(userName) {
      const name = userName.trim();
      if (!USER_NAME.test(name)) return null;
      try {
        const answer = await get(`/v1/directory/users/${encodeURIComponent(name)}`);
        const userId = /^urn:wardline:user:(.+)$/.exec(answer?.urn ?? "")?.[1];
        if (!USER_ID.test(userId ?? "")) return null;
        names.set(userId, answer.displayName);
        return { userId, urn: answer.urn, username: answer.username, displayName: answer.displayName };
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
  };
}
