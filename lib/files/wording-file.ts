/** The bulletin's wording template read from a file (templates/bulletin.json by default). */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type BulletinWording, parseWording } from "../bulletin/wording.ts";
import { WordingError } from "../errors.ts";

/** templates/bulletin.json next to this repository's lib/. */
export const DEFAULT_WORDING_PATH = fileURLToPath(new URL("../../templates/bulletin.json", import.meta.url));

/** Reads and validates a wording file (default: templates/bulletin.json). */
export async function loadWording(path: string = DEFAULT_WORDING_PATH): Promise<BulletinWording> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (cause) {
    throw new WordingError(`无法读取简报措辞模板 ${path}`, { cause });
  }
  return parseWording(json);
}
