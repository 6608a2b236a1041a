// Storage attached to the unit: the declared shape, the charm's declarations it is held to,
// and where each instance lives (the simulator's own folder unless the test names one).

import { isPlainObject } from '../../options.js';
import { STORAGE_NAME } from '../../juju/names.js';
import type { Metadata } from '../metadata.js';
import type { StorageRecord, World } from '../world.js';
import { arrayOf, keysIn, optional, whole } from './checks.js';

/** A storage instance attached to the unit, such as `data/0`. */
export interface SimulatedStorage {
  /** The charm's storage name, such as `'data'`. */
  name: string;
  /** The instance number (default: the next free one from 0). */
  index?: number;
  /** `'filesystem'` or `'block'` (default: as the charm declares it, else filesystem). */
  kind?: 'filesystem' | 'block';
  /** Where it is mounted (default: the charm's location, else one of Juju's). */
  location?: string;
}

const storageOk = (v: unknown): boolean =>
  isPlainObject(v) &&
  keysIn(v, ['name', 'index', 'kind', 'location']) &&
  typeof v.name === 'string' &&
  STORAGE_NAME.test(v.name) &&
  optional(v.index, (x) => whole(x, 0)) &&
  optional(v.kind, (x) => x === 'filesystem' || x === 'block') &&
  optional(v.location, (x) => typeof x === 'string' && x !== '');

/** @internal */
export const STORAGE = arrayOf<SimulatedStorage>(
  'an array of storage instances such as { name: "data" }',
  storageOk,
);

/**
 * The declared instances as the model holds them, held to the storage the charm declares.
 *
 * @throws TypeError for storage the charm does not declare, or an instance declared twice.
 * @internal
 */
export function storageOf(
  declared: readonly SimulatedStorage[],
  storageTypes: Metadata['storage'] | null,
  metadata: Metadata | undefined,
  storageRoot: string,
): StorageRecord[] {
  const next = new Map<string, number>();
  const storage: StorageRecord[] = [];
  for (const s of declared) {
    if (storageTypes !== null && !Object.hasOwn(storageTypes, s.name)) {
      throw new TypeError(
        `create() storage ${s.name} is not declared by the charm (${metadata?.source ?? ''} declares ${Object.keys(storageTypes).join(', ') || 'no storage'})`,
      );
    }
    const index = s.index ?? next.get(s.name) ?? 0;
    if (storage.some((x) => x.name === s.name && x.index === index)) {
      throw new TypeError(`create() storage declares ${s.name}/${String(index)} twice`);
    }
    next.set(s.name, Math.max(next.get(s.name) ?? 0, index + 1));
    const type = storageTypes?.[s.name];
    storage.push({
      name: s.name,
      index,
      kind: s.kind ?? type?.type ?? 'filesystem',
      location: s.location ?? `${storageRoot}/${s.name}/${String(index)}`,
    });
  }
  return storage;
}

/**
 * The unit's storage as `create()` takes it; a location in this simulator's own folder is its
 * default, not the test's, so the next simulator made from `run.after` puts the instance in a
 * folder of its own.
 *
 * @internal
 */
export function declaredStorage(world: World): SimulatedStorage[] {
  return world.storage.map((s) => ({
    name: s.name,
    index: s.index,
    kind: s.kind as 'filesystem' | 'block',
    ...(s.location.startsWith(`${world.storageRoot}/`) ? {} : { location: s.location }),
  }));
}
