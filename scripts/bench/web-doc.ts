/**
 * Puts sections measured on their own (npm run bench -- --web, --reads, --ingest, --workbook) into
 * BENCHMARKS.md, replacing earlier ones with the same titles. Each gets a line saying when it was
 * measured: the file's header dates the last full run.
 */
import { readFile, writeFile } from "node:fs/promises";

export async function replaceSections(file: string, sections: readonly string[]): Promise<void> {
  let doc = await readFile(file, "utf8").catch(() => "# Benchmarks\n");
  const when = `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`;
  for (const measured of sections) {
    const [head, ...rest] = measured.split("\n");
    const section = [
      head,
      "",
      `_Re-measured on its own at ${when}; the header dates the last full run._`,
      ...rest,
    ].join("\n");
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
