/** The event classes of the CIS monitoring section; rule `cis.alarm.<id>` checks class `<id>`. */
export const MONITORING_CLASSES = [
  "unauthorized-api-calls",
  "console-signin-without-mfa",
  "root-account-usage",
  "iam-policy-changes",
  "cloudtrail-config-changes",
  "console-auth-failures",
  "cmk-disable-or-deletion",
  "s3-bucket-policy-changes",
  "config-changes",
  "security-group-changes",
  "nacl-changes",
  "network-gateway-changes",
  "route-table-changes",
  "vpc-changes",
  "organizations-changes",
] as const;
export type MonitoringClassId = (typeof MONITORING_CLASSES)[number];

/** The class as a CEL field name: `root-account-usage` → `rootAccountUsage` (hyphens do not read as names). */
export function classFieldName(id: MonitoringClassId): string {
  return id.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}
