/** An API key as the settings page shows it: never the secret or its hash. */
export type ApiKeyRow = {
  id: string;
  name: string;
  /** `hbk_live_` and the secret's next 8 characters. */
  prefix: string;
  permissions: string[];
  /** null = every campaign. */
  campaigns: { id: string; name: string | null }[] | null;
  ratePerMinute: number;
  createdAt: string;
  createdByLabel: string;
  revokedAt: string | null;
  revokedByLabel: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
};

/** What creating a key returns: the row, and the secret, which exists nowhere else from then on. */
export type CreatedApiKey = { key: ApiKeyRow; secret: string };
