// config-get and is-leader.

import type { HookToolOptions } from '../index.js';
import { json, text } from './call.js';

/**
 * The charm's configuration (`config-get --format=json`): every option with a value, or one
 * option's value (`undefined` when it has none).
 *
 * @example
 * ```ts
 * import { configGet } from 'charms-contextual-status/hook-tools';
 * const { port } = await configGet();
 * ```
 */
export async function configGet(options?: HookToolOptions): Promise<Record<string, unknown>>;
export async function configGet(key: string, options?: HookToolOptions): Promise<unknown>;
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
