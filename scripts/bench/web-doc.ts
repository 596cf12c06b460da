/** Puts the portal's sections into BENCHMARKS.md, replacing earlier ones with the same titles. */
import { readFile, writeFile } from "node:fs/promises";

export async function replaceSections(file: string, sections: readonly string[]): Promise<void> {
  let doc = await readFile(file, "utf8").catch(() => "# Benchmarks\n");
  for (const section of sections) {
    const title = (section.split("\n")[0] as string).replace(/\(.*$/, "");
    const start = doc.split("\n").findIndex((line) => line.startsWith(title));
    if (start < 0) {
      doc = `${doc.trimEnd()}\n\n${section}`;
      continue;
    }
    const lines = doc.split("\n");
    let end = start + 1;
    while (end < lines.length && !(lines[end] as string).startsWith("## ")) end++;
    lines.splice(start, end - start, ...section.trimEnd().split("\n"), "");
    doc = lines.join("\n");
  }
  await writeFile(file, `${doc.trimEnd()}\n`);
}
