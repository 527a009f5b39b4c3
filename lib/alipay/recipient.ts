/** Who receives a packet: Alipay user id (2088 + 12 digits), app-scoped open id, or login id (phone/e-mail). */
import { IDENTITY_TYPES, type IdentityType } from "@/lib/enums";

export { IDENTITY_TYPES, type IdentityType };

export type Recipient = {
  identityType: IdentityType;
  identity: string;
  /** Real name; Alipay requires it for LOGIN_ID transfers and checks it when given. */
  name?: string;
};
