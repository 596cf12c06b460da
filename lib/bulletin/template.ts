/**
 * Sentence patterns from templates/bulletin.json: "{name}" placeholders, nothing else (no
 * expressions, no escaping rules for an office to learn). Patterns are checked against their
 * allowed placeholders when the wording is loaded, so `fill` failing means a bug in the code.
 */

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The placeholder names a pattern uses, in order of first appearance. */
export function placeholdersOf(pattern: string): string[] {
  const names: string[] = [];
  for (const m of pattern.matchAll(PLACEHOLDER)) {
    const name = m[1] as string;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

export function fill(pattern: string, vars: Readonly<Record<string, string | number>>): string {
  return pattern.replace(PLACEHOLDER, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`template placeholder {${name}} has no value in "${pattern}"`);
    return String(value);
  });
}
