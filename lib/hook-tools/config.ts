// config-get and is-leader.

import type { HookToolOptions } from '../index.js';
import { json, text } from './call.js';

/**
 * The charm's configuration (`config-get --format=json`): every option with a value, or one
 * option's value (`undefined` when it has none). Type it once, as the charm declares it in
 * `charmcraft.yaml`, instead of casting each value; an option with no value and no default is
 * left out, so declare those optional.
 *
 * @example
 * ```ts
 * import { configGet } from 'charms-contextual-status/hook-tools';
 * interface Config { port: number; 'log-level'?: string }
 * const { port } = await configGet<Config>();
 * const level = await configGet<Config, 'log-level'>('log-level');
 * ```
 */
export async function configGet<C extends object = Record<string, unknown>>(
  options?: HookToolOptions,
): Promise<C>;
export async function configGet<
  C extends object = Record<string, unknown>,
  K extends keyof C & string = keyof C & string,
>(key: K, options?: HookToolOptions): Promise<C[K] | undefined>;
export async function configGet(key?: string | HookToolOptions, options?: HookToolOptions): Promise<unknown> {
  if (typeof key === 'string' || (key !== undefined && typeof key !== 'object')) {
    return json('config-get', ['--', text(key, 'configGet() key')], options);
  }
  return (await json('config-get', [], key)) ?? {};
}

/**
 * Whether this unit is its application's leader (`is-leader`).
 *
 * @example
 * ```ts
 * if (await isLeader()) await relationSet('peers:1', { token }, { app: true });
 * ```
 */
export async function isLeader(options?: HookToolOptions): Promise<boolean> {
  return (await json('is-leader', [], options)) === true;
}
