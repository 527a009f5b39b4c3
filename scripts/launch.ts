/** Entry point of `npm run dev` and `npm start` (see lib/runtime/launcher.ts). */
import "../lib/load-env-files";
import { launch } from "../lib/runtime/launcher";

const mode = process.argv[2];
if (mode !== "dev" && mode !== "start") {
  console.error("usage: tsx scripts/launch.ts dev|start");
  process.exit(2);
}
await launch(mode);
