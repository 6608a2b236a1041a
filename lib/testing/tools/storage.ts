// storage-get, storage-list and storage-add, after juju/juju
// internal/worker/uniter/runner/jujuc/storage-get.go, storage-list.go, storage-add.go and the
// storage id flag they share (storage.go, newStorageIdValue).

import { STORAGE_ID, STORAGE_NAME } from '../../juju/names.js';
import { formatOf, render } from './format.js';
import { type Tool, ToolExit, checkEmpty } from './tool.js';
import type { StorageRecord, World } from '../world.js';

/** `data/0` of a storage instance. */
export function storageId(s: StorageRecord): string {
  return `${s.name}/${String(s.index)}`;
}

/**
 * The location Juju gives a new instance of `name`: the charm's fixed location, else a folder
 * of its own under the agent's storage folder.
 *
 * @internal
 */
export function storageLocation(world: World, name: string, index: number): string {
  return world.storageTypes?.[name]?.location ?? `/var/lib/juju/storage/${name}/${String(index)}`;
}

/** @internal */
export const STORAGE_TOOLS = {
  'storage-get': {
    usage: 'storage-get [options] [<key>]',
    purpose: 'Print information for the storage instance with the specified ID.',
    format: true,
    flags: { s: { type: 'string', usage: 'specify a storage instance by id' } },
    run({ parsed, world, env }) {
      const format = formatOf(parsed);
      // The -s value is checked as it is set (a valid id of storage the unit has); without it,
      // a storage hook's own instance (JUJU_STORAGE_ID).
      const given = parsed.flags.s;
      const id = typeof given === 'string' ? given : (env.JUJU_STORAGE_ID ?? '');
      if (typeof given === 'string' && !STORAGE_ID.test(given)) {
        throw new ToolExit(2, `invalid value "${given}" for flag -s: invalid storage ID "${given}"`);
      }
      if (id === '') throw new ToolExit(2, 'no storage instance specified');
      const storage = world.storage.find((s) => storageId(s) === id);
      if (storage === undefined)
        throw new ToolExit(2, `invalid value "${id}" for flag -s: storage not found`);
      const [key, ...extra] = parsed.args;
      checkEmpty(extra);
      const values: Record<string, string> = { kind: storage.kind, location: storage.location };
      if (key === undefined || key === '') return { stdout: render(values, format) };
      if (!Object.hasOwn(values, key)) throw new ToolExit(1, `invalid storage attribute "${key}"`);
      return { stdout: render(values[key], format) };
    },
  },

  'storage-list': {
    usage: 'storage-list [options] [<storage-name>]',
    purpose: 'List storage attached to the unit.',
    format: true,
    flags: {},
    run({ parsed, world }) {
      const format = formatOf(parsed);
      const [name, ...extra] = parsed.args;
      checkEmpty(extra);
      const ids = world.storage
        .filter((s) => name === undefined || name === '' || s.name === name)
        .map(storageId);
      return { stdout: render(format === 'smart' ? ids.join('\n') : ids, format) };
    },
  },

  'storage-add': {
    usage: 'storage-add [options] <charm storage name>[=count] ...',
    purpose: 'Add storage instances.',
    flags: {},
    run({ parsed, world, hook }) {
      if (parsed.args.length === 0) throw new ToolExit(2, 'storage add requires a storage directive');
      // Init: `name` or `name=count` (storage.ParseDirectivesMap); a pool or size is refused.
      const counts: [string, number][] = [];
      for (const arg of parsed.args) {
        const at = arg.indexOf('=');
        const name = at < 0 ? arg : arg.slice(0, at);
        const directive = at < 0 ? '1' : arg.slice(at + 1);
        if (!STORAGE_NAME.test(name)) throw new ToolExit(2, `expected "name=directive"`);
        if (!/^\d+$/.test(directive)) throw new ToolExit(2, `only count can be specified for "${name}"`);
        const count = Number(directive);
        if (count < 1)
          throw new ToolExit(2, `cannot parse count "${directive}": count must be greater than zero`);
        counts.push([name, count]);
      }
      // The controller adds only storage the charm declares (checked at the hook's commit in
      // Juju; here at once, so the test sees which call).
      for (const [name] of counts) {
        if (world.storageTypes !== null && !Object.hasOwn(world.storageTypes, name)) {
          throw new ToolExit(1, `adding storage ${name}: charm storage "${name}" not found`);
        }
      }
      // Added when the hook commits (doFlush: AddStorage), attached afterwards.
      const pending = (hook.storageAdds ??= {});
      for (const [name, count] of counts) pending[name] = (pending[name] ?? 0) + count;
      return {};
    },
  },
} satisfies Record<string, Tool>;
