// storage-add, storage-get and storage-list.

import type { HookToolOptions } from '../index.js';
import { describeValue } from '../describe.js';
import { STORAGE_ID, STORAGE_NAME } from '../juju/names.js';
import { json, run, text } from './call.js';

/**
 * Asks for more instances of the charm's storage (`storage-add name=count…`); Juju adds them
 * when the hook succeeds, then runs `<name>-storage-attached` for each.
 *
 * @example
 * ```ts
 * await storageAdd({ data: 2 });
 * ```
 */
export async function storageAdd(counts: Record<string, number>, options?: HookToolOptions): Promise<void> {
  const given: unknown = counts;
  if (
    typeof given !== 'object' ||
    given === null ||
    Array.isArray(given) ||
    Object.keys(counts).length === 0
  ) {
    throw new TypeError(
      `storageAdd() takes an object of storage names to counts such as { data: 1 }, got ${describeValue(counts)}`,
    );
  }
  const args = Object.entries(counts).map(([name, count]) => {
    if (!STORAGE_NAME.test(name))
      throw new TypeError(
        `storageAdd() storage name ${JSON.stringify(name)} is not one Juju takes (such as "data")`,
      );
    if (!Number.isInteger(count) || count < 1) {
      throw new TypeError(
        `storageAdd() count of ${name} must be a whole number from 1, got ${describeValue(count)}`,
      );
    }
    return `${name}=${String(count)}`;
  });
  await run('storage-add', ['--', ...args], options);
}

/** A storage instance, as `storage-get` describes it. */
export interface Storage {
  /** `'filesystem'` or `'block'`. */
  kind: string;
  /** Where it is mounted (a filesystem) or its device (a block). */
  location: string;
}

/**
 * A storage instance's kind and location (`storage-get`), by id (`'data/0'`); left out, the
 * instance a storage hook is about.
 *
 * @example
 * ```ts
 * const { location } = await storageGet('data/0');
 * ```
 */
export async function storageGet(id?: string, options?: HookToolOptions): Promise<Storage> {
  if (id !== undefined && (typeof id !== 'string' || !STORAGE_ID.test(id))) {
    throw new TypeError(`storageGet() takes a storage id such as "data/0", got ${describeValue(id)}`);
  }
  return ((await json('storage-get', id === undefined ? [] : ['-s', id], options)) ?? {}) as Storage;
}

/**
 * The ids of the storage instances attached to the unit (`storage-list`), of one storage
 * name or all.
 *
 * @example
 * ```ts
 * const ids = await storageList('data'); // ['data/0']
 * ```
 */
export async function storageList(name?: string, options?: HookToolOptions): Promise<string[]> {
  const args = name === undefined ? [] : ['--', text(name, 'storageList() name')];
  return ((await json('storage-list', args, options)) ?? []) as string[];
}
