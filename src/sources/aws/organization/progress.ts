/** What an organization scan tells about its way through the accounts, for a progress display. */
export type OrganizationProgress =
  /** The accounts to read are known (the calling account included when this scan reports it). */
  | { type: "listed"; total: number }
  /** One account is read (`failed`: it could not be entered, or timed out: its rules are unknown). */
  | { type: "account"; id: string; name: string; failed: boolean };

export type ProgressListener = (event: OrganizationProgress) => void;
