import "server-only";
import type { BatchFile } from "./service";

/** An uploaded File as the batch services take it (its name and bytes). */
export async function batchFileOf(file: File): Promise<BatchFile> {
  return { name: file.name || "batch.csv", bytes: new Uint8Array(await file.arrayBuffer()) };
}
