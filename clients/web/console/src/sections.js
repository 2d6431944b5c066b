// Which console sections an account's permissions open (names as GET /v1/me lists them). The server decides every
// request on its own; this only keeps the console from offering what would be refused.
export const SECTIONS = [
  { id: "users", title: "Users", needs: ["user_read"] },
  { id: "teams", title: "Teams", needs: ["user_read"] },
  { id: "devices", title: "Devices", needs: ["device_manage"] },
  { id: "alerts", title: "Alerts", needs: ["alert_manage"] },
  { id: "audit", title: "Audit trail", needs: ["audit_read"] },
  { id: "reviews", title: "Access reviews", needs: ["user_read"] },
  { id: "reports", title: "Reports", needs: ["audit_read"] },
  { id: "records", title: "Retention and holds", needs: ["retention_manage"] },
  { id: "incidents", title: "Incidents", needs: ["incident_manage"] },
];

export function consoleSections(permissions = []) {
  const have = new Set(permissions);
  return SECTIONS.filter((s) => s.needs.every((p) => have.has(p)));
}
