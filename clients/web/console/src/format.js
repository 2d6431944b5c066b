// Words for what the API answers: a device's state (wipe confirmed, wipe waiting, revoked, active), times, and the
// audit query string built from the search form. Pure functions, tested under node:test.

const REASONS = { admin: "by an administrator", wiped: "after a wipe", lost: "reported lost", offboarded: "at offboarding",
  superseded: "replaced by a renewal" };

/** @param {{revokedAt?: string|null, revocationReason?: string|null, wipe?: string|null, wipeConfirmedAt?: string|null}} d */
export function deviceState(d) {
  if (d.wipe === "confirmed") return { code: "wiped", text: `Wipe confirmed by the device ${when(d.wipeConfirmedAt)}` };
  if (d.wipe === "pending") return { code: "wipe-pending", text: "Wipe requested; waiting for the device to confirm" };
  if (d.revokedAt) {
    const why = REASONS[d.revocationReason?.toLowerCase?.()] ?? (d.revocationReason ? `(${d.revocationReason})` : "");
    return { code: "revoked", text: `Revoked ${why} ${when(d.revokedAt)}`.replace(/\s+/g, " ").trim() };
  }
  return { code: "active", text: "Active" };
}

/** A time as people read it here (UTC, to the minute), or "never". */
export function when(iso) {
  if (!iso) return "never";
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return "unknown";
  return `${t.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The query string of an audit search from the form's values; empty fields are left out. Local datetimes are UTC. */
export function auditQuery({ actor, objectId, from, to, seq }) {
  const q = new URLSearchParams();
  if (actor) q.set("actor", actor);
  if (objectId?.trim()) q.set("objectId", objectId.trim());
  if (from) q.set("from", toInstant(from));
  if (to) q.set("to", toInstant(to));
  if (seq) q.set("seq", String(seq).trim());
  return q.toString();
}

function toInstant(local) {
  return /Z$|[+-]\d\d:\d\d$/.test(local) ? local : `${local.length === 16 ? `${local}:00` : local}Z`;
}

/** What a retention policy governs, in the order the console lists them (wire names as the API spells them). */
export const KINDS = [
  { kind: "messages", label: "Messages" },
  { kind: "files", label: "Files" },
  { kind: "share_links", label: "Share links" },
  { kind: "audit", label: "Audit entries" },
];

/**
 * One row per kind for the organisation (set or not: with no policy nothing of that kind expires, and audit entries
 * are kept the six-year floor), then that kind's team policies. @param {Array<{kind, teamId?, days, updatedBy, updatedAt}>} policies
 */
export function retentionRows(policies = []) {
  const rows = [];
  for (const { kind, label } of KINDS) {
    const mine = policies.filter((p) => p.kind === kind);
    const org = mine.find((p) => !p.teamId);
    rows.push({ kind, label, teamId: null, updatedBy: org?.updatedBy ?? null, updatedAt: org?.updatedAt ?? null,
      kept: org ? days(org.days) : kind === "audit" ? "2192 days (the six-year legal floor; no policy set)" : "Until deleted (no policy set)" });
    for (const p of mine.filter((q) => q.teamId)) {
      rows.push({ kind, label, teamId: p.teamId, updatedBy: p.updatedBy, updatedAt: p.updatedAt, kept: days(p.days) });
    }
  }
  return rows;
}

function days(n) {
  return `${n} day${n === 1 ? "" : "s"}`;
}
