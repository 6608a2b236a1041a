// Options tables: each option's rule (what it accepts, said as the error says it), and the
// one check every entry point runs on its options.

import { describeValue, messageOf } from './describe.js';

/**
 * True for an object made by `{ … }` or `Object.create(null)`; false for anything else,
 * including arrays, class instances and proxies whose traps throw or that were revoked.
 *
 * @internal
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  } catch {
    return false;
  }
}

/**
 * One rule of an options table: what the option accepts, said as the error will say it
 * ("true or false"), and the test a value must pass.
 *
 * @internal
 */
export interface Rule<T> {
  readonly accepts: string;
  readonly test: (value: unknown) => boolean;
  /** Never set: carries the type the option has once checked. */
  readonly type?: T;
}

/** @internal */
export type Checked<Table extends Record<string, Rule<unknown>>> = {
  -readonly [K in keyof Table]?: Table[K] extends Rule<infer T> ? T : never;
};

/**
 * Makes a rule from what it accepts and its test.
 *
 * @internal
 */
export function rule<T>(accepts: string, test: (value: unknown) => boolean): Rule<T> {
  return { accepts, test };
}

/** @internal */
export const BOOLEAN: Rule<boolean> = rule('true or false', (v) => typeof v === 'boolean');

/**
 * A time-out Node's timers can keep: a whole number of milliseconds from 1 to 2³¹−1 (Node
 * turns a longer one into 1 ms, with only a warning).
 *
 * @internal
 */
export const TIMEOUT_MS: Rule<number> = rule(
  'a whole number of milliseconds from 1 to 2147483647',
  (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 2 ** 31 - 1,
);

/** @internal */
export const FUNCTION: Rule<(...args: never[]) => unknown> = rule(
  'a function',
  (v) => typeof v === 'function',
);

/**
 * Environment variables for a child process: names to strings, none holding a NUL character
 * (which no environment can carry). `process.env` itself is welcome.
 *
 * @internal
 */
export const ENV: Rule<Readonly<Record<string, string | undefined>>> = rule(
  'an object of environment variables (names to strings without NUL characters), such as process.env',
  (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    return Object.entries(v).every(
      ([key, value]) =>
        !key.includes('\0') && (value === undefined || (typeof value === 'string' && !value.includes('\0'))),
    );
  },
);

/**
 * One of a list of words.
 *
 * @internal
 */
export function oneOf<const W extends readonly string[]>(words: W): Rule<W[number]> {
  return rule(words.map((w) => JSON.stringify(w)).join(' or '), (v) => words.includes(v as string));
}

/**
 * Checks an options argument against its table: a plain object whose keys are all in the table
 * and whose values each pass their rule. A misspelt option is refused rather than silently
 * ignored, because an ignored `exitstatus` would publish the wrong status with no hint why.
 * Every refusal reads the same: `<where> <what was wrong>: <what is accepted>`. A getter or
 * proxy trap that throws is refused in the same words, never let out raw.
 *
 * @param where - how the caller names the options in the error, such as `'HookToolUnit options'`.
 * @throws TypeError naming what was passed and what is accepted.
 * @internal
 */
export function checkOptions<Table extends Record<string, Rule<unknown>>>(
  value: unknown,
  where: string,
  table: Table,
): Checked<Table> {
  if (value === undefined) return {};
  const names = Object.keys(table);
  if (!isPlainObject(value)) {
    throw new TypeError(
      `${where} must be a plain object such as { ${names.join(', ')} }, got ${describeValue(value)}`,
    );
  }
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch (error) {
    throw new TypeError(`${where} could not be read (${messageOf(error)}): pass a plain object`, {
      cause: error,
    });
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const check = Object.hasOwn(table, key) ? table[key] : undefined;
    if (check === undefined) {
      throw new TypeError(`${where} has an unknown option "${key}": expected ${names.join(', ')}`);
    }
    let option: unknown;
    try {
      option = value[key];
    } catch (error) {
      throw new TypeError(
        `${where} option ${key} could not be read (${messageOf(error)}): it must be ${check.accepts}`,
        {
          cause: error,
        },
      );
    }
    if (option === undefined) continue;
    let ok: boolean;
    try {
      ok = check.test(option);
    } catch {
      ok = false;
    }
    if (!ok)
      throw new TypeError(`${where} option ${key} must be ${check.accepts}, got ${describeValue(option)}`);
    out[key] = option;
  }
  return out as Checked<Table>;
}
