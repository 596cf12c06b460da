/** Importing a units.csv into the store (CLI `dangjian registry load`, S3 registry/units.csv). */
import type { RegistryStore } from "../ports.ts";
import { parseRegistryFile, type RegistryProblem } from "./registry-file.ts";

export type RegistryImport =
  | { readonly ok: true; readonly units: number; readonly leaves: number; readonly root: string }
  | { readonly ok: false; readonly problems: readonly RegistryProblem[] };

export async function importRegistry(bytes: Uint8Array, store: RegistryStore): Promise<RegistryImport> {
  const parsed = parseRegistryFile(bytes);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  const { registry } = parsed;
  await store.saveRegistry([...registry.units]);
  return { ok: true, units: registry.size, leaves: registry.leafCount, root: registry.root.code };
}
