// What every copy of this package loaded in one process shares.
//
// A process can hold two copies: a CommonJS `require()` under a loader such as tsx beside the
// ESM import, a bundle beside `node_modules`, two versions in a dependency tree. Each copy
// would otherwise have its own default bus and its own async scope, and a status added through
// one would reach no context opened through the other, with only a warning to show for it. So
// each shared thing is made once, by whichever copy asks first, and kept on `globalThis` under
// a `Symbol.for` key. The key names the registry's major version: a copy whose shared things
// have another shape keeps its own entry.

import { describeValue, messageOf } from './describe.js';

const NAME = 'charms-contextual-status/registry@1';
const KEY: unique symbol = Symbol.for(NAME) as never;

type Registry = Map<string, unknown>;

/** This copy's registry, found or made once. */
let entries: Registry | undefined;

/**
 * The process-wide registry. Where `globalThis` cannot hold it (frozen, not extensible, or its
 * key taken by something else), this copy keeps its own and says so on stderr once: importing
 * the package never fails for it, and a charm with one copy loses nothing.
 */
function registry(): Registry {
  if (entries !== undefined) return entries;
  let found: unknown;
  try {
    found = (globalThis as { [KEY]?: unknown })[KEY];
  } catch (error) {
    return (entries = alone(`reading it threw (${messageOf(error)})`));
  }
  if (found instanceof Map) return (entries = found as Registry);
  if (found !== undefined) return (entries = alone(`it holds ${describeValue(found)}`));
  const made: Registry = new Map();
  const kept = Reflect.defineProperty(globalThis, KEY, { value: made, configurable: true });
  return (entries = kept ? made : alone('globalThis is frozen or not extensible'));
}

function alone(why: string): Registry {
  console.warn(
    `charms-contextual-status: globalThis[Symbol.for(${JSON.stringify(NAME)})] cannot hold the registry that copies of this package in one process share (${why}); this copy keeps its own default bus and async scope, and another copy's statuses will not reach its contexts`,
  );
  return new Map();
}

/**
 * The process-wide value named `name`, made by `make` on first use by any copy.
 *
 * @internal
 */
export function shared<T>(name: string, make: () => T): T {
  const all = registry();
  if (!all.has(name)) all.set(name, make());
  return all.get(name) as T;
}
