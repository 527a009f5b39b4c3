// Runs in every test worker before the test file is imported, so lib/env.ts sees the test database.
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.DATABASE_POOL_SIZE ??= "5";
// The simulator's merchant partner id (SIMULATOR_PARTNER_ID): fund-coupon agreement pay needs the payer's PID.
process.env.ALIPAY_MERCHANT_PID ??= "2088101000000001";
