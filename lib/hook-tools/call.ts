// How the hook-tools functions call their tool: through the main entry's one runner (so that a
// failure is its HookToolError, and a test's in-process run answers the call), with the checks
// every function shares.

import { type HookToolOptions, runHookTool } from '../index.js';
import { describeValue } from '../describe.js';
import { RELATION_ID } from '../juju/names.js';

/**
 * Runs `tool` and parses its `--format=json` answer; `null` is `undefined`.
 *
 * @internal
 */
export async function json(
  tool: string,
  args: readonly string[],
  options?: HookToolOptions,
): Promise<unknown> {
  const out = await runHookTool(tool, ['--format=json', ...args], options);
  const value: unknown = out.trim() === '' ? null : JSON.parse(out);
  return value ?? undefined;
}

/**
 * Runs `tool` for its effect; resolves to what it printed.
 *
 * @internal
 */
export async function run(
  tool: string,
  args: readonly string[],
  options?: HookToolOptions,
  input?: string,
): Promise<string> {
  return runHookTool(tool, args, { ...options, ...(input === undefined ? {} : { input }) });
}

/**
 * `database:7` or `7`, as Juju's `-r` takes it; a TypeError naming both forms otherwise.
 *
 * @internal
 */
export function relationId(id: unknown, where: string): string {
  if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return String(id);
  if (typeof id === 'string' && RELATION_ID.test(id)) return id;
  throw new TypeError(`${where} takes a relation id such as "database:7" or 7, got ${describeValue(id)}`);
}

/**
 * `key=value` arguments, for tools that read them as juju/utils `keyvalues.Parse` does: a key
 * must be non-empty, hold no `=` and no white space at its ends (Juju would trim it), and a
 * value must be a string.
 *
 * @internal
 */
export function pairs(data: unknown, where: string): [string, string][] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TypeError(`${where} takes an object of keys to strings, got ${describeValue(data)}`);
  }
  return Object.entries(data as Record<string, unknown>).map(([key, value]) => {
    if (key === '' || key.includes('=') || key.trim() !== key || key.includes('\0')) {
      throw new TypeError(
        `${where} key ${JSON.stringify(key)} is one Juju refuses or changes: a key is non-empty, without "=", NUL or white space at its ends`,
      );
    }
    if (typeof value !== 'string' || value.includes('\0')) {
      throw new TypeError(
        `${where} value of ${JSON.stringify(key)} must be a string without NUL, got ${describeValue(value)}`,
      );
    }
    return [key, value];
  });
}

/**
 * A string argument, or a TypeError.
 *
 * @internal
 */
export function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.includes('\0')) {
    throw new TypeError(`${what} must be a string without NUL characters, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Settings for `--file -`, as ops sends them: a YAML mapping on stdin (JSON is YAML), so that
 * a value of any length, newlines included, reaches Juju whole. What JSON leaves raw and Juju's
 * YAML reader (gopkg.in/yaml.v2) refuses or changes is escaped (`\uXXXX`, which a double-quoted
 * YAML scalar reads back as the same character): DEL and the C1 controls (raw, `yaml: control
 * characters are not allowed`, and NEL U+0085 a line break read as a space), U+2028 and U+2029
 * (line breaks to YAML 1.1), U+FFFE and U+FFFF (not allowed).
 *
 * @internal
 */
export function settingsFile(pairs: readonly [string, string][]): string {
  return JSON.stringify(Object.fromEntries(pairs)).replace(
    /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
