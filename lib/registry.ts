// What every copy of this package loaded in one process shares.
//
// A process can hold two copies: a CommonJS `require()` under a loader such as tsx beside the
// ESM import, a bundle beside `node_modules`, two versions in a dependency tree. Each copy
// would otherwise have its own default bus and its own async scope, and a status added through
// one would reach no context opened through the other, with only a warning to show for it. So
// each shared thing is made once, by whichever copy asks first, and kept on `globalThis` under
// a `Symbol.for` key. The key names the registry's major version: a copy whose shared things
// have another shape keeps its own entry.

const KEY: unique symbol = Symbol.for('charms-contextual-status/registry@1') as never;

type Registry = Map<string, unknown>;

function registry(): Registry {
  const holder = globalThis as { [KEY]?: Registry | undefined };
  const found = holder[KEY];
  if (found !== undefined) return found;
  const made: Registry = new Map();
  holder[KEY] = made;
  return made;
}

/**
 * The process-wide value named `name`, made by `make` on first use by any copy.
 *
 * @internal
 */
export function shared<T>(name: string, make: () => T): T {
  const entries = registry();
  if (!entries.has(name)) entries.set(name, make());
  return entries.get(name) as T;
}
