/** Who receives a packet: Alipay user id (2088 + 12 digits), app-scoped open id, or login id (phone/e-mail). */
export const IDENTITY_TYPES = ["USER_ID", "OPEN_ID", "LOGIN_ID"] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

export type Recipient = {
  identityType: IdentityType;
  identity: string;
  /** Real name; Alipay requires it for LOGIN_ID transfers and checks it when given. */
  name?: string;
};
