// Checks the world's parts share: the small predicates their declared shapes are checked with.

import { type Rule, isPlainObject, rule } from '../../options.js';

/** @internal */
export const strings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');
/** @internal */
export const stringMap = (v: unknown): v is Record<string, string> =>
  isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string');
/** @internal */
export const optional = (v: unknown, test: (x: unknown) => boolean): boolean => v === undefined || test(v);
/** @internal */
export const keysIn = (v: Record<string, unknown>, keys: readonly string[]): boolean =>
  Object.keys(v).every((k) => keys.includes(k));
/** @internal */
export const whole = (v: unknown, min: number): boolean =>
  typeof v === 'number' && Number.isInteger(v) && v >= min;

/** @internal */
export const arrayOf = <T>(accepts: string, test: (v: unknown) => boolean): Rule<T[]> =>
  rule(accepts, (v) => Array.isArray(v) && v.every(test));
