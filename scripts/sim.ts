/**
 * `npm run sim`: the local Alipay gateway simulator on its own (SIM_PORT, default 4010), for pointing a console
 * started with ALIPAY_GATEWAY=http://127.0.0.1:4010/gateway.do at it, or for poking it with curl. Keys are the
 * demo ones in DATA_DIR/keys (created on first use); state is kept in SIM_STATE_FILE (default
 * DATA_DIR/simulator.json).
 */
import "../lib/load-env-files";
import path from "node:path";
import { ensureKeyFiles, startSimulator, type FaultConfig } from "../lib/alipay-sim";
import { env } from "../lib/env";
import { SIMULATOR_APP_ID } from "../lib/runtime/launcher";

const dataDir = path.resolve(env.DATA_DIR);
const keysDir = path.join(dataDir, "keys");
const keys = ensureKeyFiles(keysDir);
const simulator = await startSimulator({
  port: env.SIM_PORT,
  apps: [{ appId: SIMULATOR_APP_ID, publicKey: keys.appPublicKey }],
  alipayPrivateKey: keys.alipayPrivateKey,
  stateFile: env.SIM_STATE_FILE ?? path.join(dataDir, "simulator.json"),
  faults: env.SIM_FAULTS ? (JSON.parse(env.SIM_FAULTS) as FaultConfig) : undefined,
  log: (line) => console.log(line),
});

console.log(`
  Alipay simulator listening on ${simulator.url}

  Point a console at it:
    ALIPAY_GATEWAY=${simulator.gatewayUrl}
    ALIPAY_APP_ID=${SIMULATOR_APP_ID}
    ALIPAY_PRIVATE_KEY=<contents of ${path.join(keysDir, "app-private.pem")}>
    ALIPAY_PUBLIC_KEY=<contents of ${path.join(keysDir, "alipay-public.pem")}>

  Inject faults:  curl -X POST ${simulator.url}/__sim/faults -H 'content-type: application/json' \\
                    -d '{"rules":[{"methods":"*","unknownRate":0.3}]}'
  Ledger:         curl ${simulator.url}/__sim/ledger
`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void simulator.stop().then(() => process.exit(0)));
}
