// storage-get, storage-list and storage-add, after juju/juju
// internal/worker/uniter/runner/jujuc/storage-get.go, storage-list.go, storage-add.go and the
// storage id flag they share (storage.go, newStorageIdValue).

import { STORAGE_ID } from '../../juju/names.js';
import { formatOf, render } from './format.js';
import { type Tool, ToolExit, checkEmpty, refuseAtCommit } from './tool.js';
import type { StorageRecord, World } from '../world.js';

/** `data/0` of a storage instance. */
export function storageId(s: StorageRecord): string {
  return `${s.name}/${String(s.index)}`;
}

/**
 * Where a new instance of `name` is attached: a folder of its own under the simulator's storage
 * folder. Juju would mount it at the charm's declared location (or under the agent's storage
 * folder); the simulator never writes there on the test machine, and a charm learns the place as
 * it does in Juju, from `JUJU_STORAGE_LOCATION` or `storage-get location`.
 *
 * @internal
 */
export function storageLocation(world: World, name: string, index: number): string {
  return `${world.storageRoot}/${name}/${String(index)}`;
}

/**
 * The count of a storage directive (ParseDirective: comma-separated pool, count and size), when
 * only a count is given, as storage-add takes it; exit 2 with Juju's message otherwise.
 */
function directiveCount(name: string, directive: string): number {
  let count = 0;
  let other = false;
  for (const field of directive.split(',')) {
    if (field === '') continue;
    const fail = (why: string): never => {
      throw new ToolExit(2, `cannot parse directive for storage "${name}": ${why}`);
    };
    if (/^[a-zA-Z]+[-?a-zA-Z0-9]*$/.test(field)) other = true;
    else if (/^-?[0-9]+$/.test(field)) {
      const n = Number(field);
      if (field.startsWith('-') || n <= 0)
        fail(`cannot parse count: count must be greater than zero, got "${field}"`);
      if (count !== 0)
        fail(`storage instance count is already set to ${String(count)}, new value ${field} not valid`);
      count = n;
    } else if (/^-?[0-9]+(?:\.[0-9]+)?[MGTPEZY](?:i?B)?$/.test(field)) other = true;
    else fail(`unrecognized storage directive "${field}" not valid`);
  }
  if (count === 0 && !other) {
    throw new ToolExit(
      2,
      `cannot parse directive for storage "${name}": storage directives require at least one field to be specified`,
    );
  }
  if (other) throw new ToolExit(2, `only count can be specified for "${name}"`);
  return count === 0 ? 1 : count;
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
      // Init: storage.ParseDirectivesMap (internal/storage/directive.go), then only a count
      // may be given: `name` or `name=<directive>`, each name once.
      const counts: [string, number][] = [];
      for (const arg of parsed.args) {
        const parts = arg.split('=');
        const [name = '', directive = '1'] = parts;
        if (parts.length > 2 || name === '') {
          throw new ToolExit(2, `expected "name=directive" or "name", got "${arg}"`);
        }
        if (counts.some(([seen]) => seen === name)) {
          throw new ToolExit(2, `storage "${name}" specified more than once`);
        }
        counts.push([name, directiveCount(name, directive)]);
      }
      // The hook context records them; the controller adds only storage the charm declares,
      // and refuses the rest when the hook commits (doFlush: AddStorage).
      for (const [name] of counts) {
        if (world.storageTypes !== null && !Object.hasOwn(world.storageTypes, name)) {
          refuseAtCommit(hook, `storage-add: adding storage ${name}: charm storage "${name}" not found`);
        }
      }
      // Added when the hook commits (doFlush: AddStorage), attached afterwards.
      const pending = (hook.storageAdds ??= {});
      for (const [name, count] of counts) pending[name] = (pending[name] ?? 0) + count;
      return {};
    },
  },
} satisfies Record<string, Tool>;
