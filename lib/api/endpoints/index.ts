/**
 * Every /api/v1 endpoint, in the order the OpenAPI document, docs/api.md and the console's API page list them
 * (lib/api/openapi.test.ts checks that each route file under app/api/v1 is here, and nothing else). Pure.
 */
import type { EndpointSpec } from "@/lib/api/endpoint-spec";
import { CAMPAIGN_ENDPOINTS } from "./campaigns";
import { OPENAPI_ENDPOINT } from "./meta";
import { PAYOUT_ENDPOINTS } from "./payouts";
import { RED_PACKET_ENDPOINTS } from "./red-packets";

export const API_ENDPOINTS: readonly EndpointSpec[] = [
  ...PAYOUT_ENDPOINTS,
  ...CAMPAIGN_ENDPOINTS,
  ...RED_PACKET_ENDPOINTS,
  OPENAPI_ENDPOINT,
];
