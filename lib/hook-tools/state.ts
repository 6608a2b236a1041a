// state-get and state-set: the unit's server-side state, kept across hooks.

import type { HookToolOptions } from '../index.js';
import { json, pairs, run, settingsFile, text } from './call.js';

/**
 * The unit's state (`state-get`): every key, or one key's value (`undefined` when unset).
 *
 * @example
 * ```ts
 * const installed = await stateGet('installed');
 * ```
 */
export async function stateGet(options?: HookToolOptions): Promise<Record<string, string>>;
export async function stateGet(key: string, options?: HookToolOptions): Promise<string | undefined>;
export async function stateGet(key?: string | HookToolOptions, options?: HookToolOptions): Promise<unknown> {
  if (typeof key === 'string' || (key !== undefined && typeof key !== 'object')) {
    const all = ((await json('state-get', [], options)) ?? {}) as Record<string, string>;
    const name = text(key, 'stateGet() key');
    return Object.hasOwn(all, name) ? all[name] : undefined;
  }
  return (await json('state-get', [], key)) ?? {};
}

/**
 * Sets keys of the unit's state (`state-set --file -`, the settings as YAML on stdin). Juju keeps them only if the hook
 * succeeds.
 *
 * @example
 * ```ts
 * await stateSet({ installed: 'true' });
 * ```
 */
export async function stateSet(data: Record<string, string>, options?: HookToolOptions): Promise<void> {
  await run('state-set', ['--file', '-'], options, settingsFile(pairs(data, 'stateSet() data')));
}

/**
 * Deletes a key of the unit's state (`state-delete -- <key>`); a missing key is no error.
 * Juju keeps the deletion only if the hook succeeds.
 *
 * @example
 * ```ts
 * await stateDelete('installed');
 * ```
 */
export async function stateDelete(key: string, options?: HookToolOptions): Promise<void> {
  await run('state-delete', ['--', text(key, 'stateDelete() key')], options);
}
