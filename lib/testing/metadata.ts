// What a charm declares about itself: its configuration options, its endpoints and its
// actions, read from its charmcraft.yaml (or, for an older charm, metadata.yaml, config.yaml and
// actions.yaml), so that the simulator refuses what Juju would: an undeclared option or one of
// the wrong type, a hook on an undeclared endpoint, an undeclared action or one whose parameters
// its schema refuses.

import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { parse } from 'yaml';

import { describeValue, listOf } from '../describe.js';

/** One configuration option, as declared. */
export interface OptionSpec {
  readonly type: 'string' | 'int' | 'float' | 'boolean' | 'secret';
  readonly default?: unknown;
}

/** One action parameter's JSON schema, as far as charmcraft.yaml uses one. */
export interface ParameterSpec {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
}

/** One action, as declared. */
export interface ActionSpec {
  readonly params: Readonly<Record<string, ParameterSpec>>;
  readonly required: readonly string[];
  readonly additionalProperties: boolean;
}

/**
 * A charm's declarations.
 *
 * @internal
 */
export interface Metadata {
  /** Where they were read from, for messages. */
  readonly source: string;
  /** The charm's name (`name:`), which names its application by default. */
  readonly name: string | undefined;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Endpoint name to its role. */
  readonly endpoints: Readonly<Record<string, 'provides' | 'requires' | 'peers'>>;
  readonly actions: Readonly<Record<string, ActionSpec>>;
  /** `extra-bindings`: names `network-get` answers beside the endpoints. */
  readonly extraBindings: readonly string[];
  /** Declared storage, by name: its type (`filesystem`, `block`) and fixed location, if any. */
  readonly storage: Readonly<Record<string, { readonly type: string; readonly location?: string }>>;
  /** Declared resources, by name. */
  readonly resources: readonly string[];
  /** The workload containers of a Kubernetes charm (`containers:`), by name. */
  readonly containers: readonly string[];
}

const OPTION_TYPES = ['string', 'int', 'float', 'boolean', 'secret'] as const;

/**
 * Reads the declarations of the charm in `dir`; `undefined` when it has neither charmcraft.yaml
 * nor metadata.yaml.
 *
 * @throws TypeError for a file that is not YAML, or declarations of the wrong shape.
 * @internal
 */
export async function readMetadata(dir: string): Promise<Metadata | undefined> {
  const charmcraft = await yamlOf(join(dir, 'charmcraft.yaml'));
  const legacy = await yamlOf(join(dir, 'metadata.yaml'));
  if (charmcraft === undefined && legacy === undefined) return undefined;
  const main = { ...(legacy ?? {}), ...(charmcraft ?? {}) };
  const config = (charmcraft?.config ?? (await yamlOf(join(dir, 'config.yaml')))) as unknown;
  const actions = (charmcraft?.actions ??
    legacy?.actions ??
    (await yamlOf(join(dir, 'actions.yaml')))) as unknown;
  const source = charmcraft === undefined ? join(dir, 'metadata.yaml') : join(dir, 'charmcraft.yaml');
  return {
    source,
    name: typeof main.name === 'string' && main.name !== '' ? main.name : undefined,
    options: optionsOf(config, source),
    endpoints: endpointsOf(main, source),
    actions: actionsOf(numbers(actions), source),
    extraBindings: isRecord(main['extra-bindings']) ? Object.keys(main['extra-bindings']) : [],
    storage: storageOf(numbers(main.storage), source),
    resources: isRecord(main.resources) ? Object.keys(main.resources) : [],
    containers: isRecord(main.containers) ? Object.keys(main.containers) : [],
  };
}

function storageOf(declared: unknown, source: string): Metadata['storage'] {
  if (declared === undefined || declared === null) return {};
  if (!isRecord(declared)) throw new TypeError(`${source} storage must be a mapping of storage names`);
  const out: Record<string, { type: string; location?: string }> = dictionary();
  for (const [name, spec] of Object.entries(declared)) {
    const type = isRecord(spec) && typeof spec.type === 'string' ? spec.type : undefined;
    if (type !== 'filesystem' && type !== 'block') {
      throw new TypeError(
        `${source} storage ${name} has type ${describeValue(type)}: Juju takes filesystem or block`,
      );
    }
    const location = isRecord(spec) && typeof spec.location === 'string' ? spec.location : undefined;
    out[name] = { type, ...(location === undefined ? {} : { location }) };
  }
  return out;
}

/**
 * Each file read, by path, with what identified its version: a charm's metadata is parsed once
 * per file, and again when it changes, not once per test (a test suite makes hundreds of
 * simulators of one charm).
 */
const parsed = new Map<
  string,
  { readonly version: string; readonly value: Record<string, unknown> | undefined }
>();

async function yamlOf(file: string): Promise<Record<string, unknown> | undefined> {
  let version: string;
  try {
    // Synchronous: one stat takes microseconds, where an asynchronous one waits its turn in
    // libuv's pool, and create() reads up to four of them per test.
    const found = statSync(file);
    version = `${String(found.ino)}:${String(found.size)}:${String(found.mtimeMs)}:${String(found.ctimeMs)}`;
  } catch {
    return undefined;
  }
  const known = parsed.get(file);
  if (known?.version === version) return known.value;
  const value = await parseYamlFile(file);
  parsed.set(file, { version, value });
  return value;
}

async function parseYamlFile(file: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let value: unknown;
  try {
    // As Juju reads it: gopkg.in/yaml.v2, YAML 1.1 (`no` is false, `0755` is 493), integers told
    // apart from floats (kept as BigInt here until each use says what it needs), and no base-60
    // numbers, which yaml.v2 does not read.
    value = parse(text, {
      version: '1.1',
      intAsBigInt: true,
      customTags: (tags) => tags.filter((tag) => typeof tag !== 'object' || tag.format !== 'TIME'),
    });
  } catch (error) {
    throw new TypeError(`${file} is not YAML the simulator can read: ${(error as Error).message}`);
  }
  if (value === null || value === undefined) return {};
  if (!isRecord(value)) throw new TypeError(`${file} must hold a mapping, got ${describeValue(value)}`);
  return value;
}

function optionsOf(config: unknown, source: string): Record<string, OptionSpec> {
  if (config === undefined || config === null) return {};
  const options = isRecord(config) ? config.options : undefined;
  if (options === undefined || options === null) return {};
  if (!isRecord(options)) throw new TypeError(`${source} config.options must be a mapping of options`);
  const out: Record<string, OptionSpec> = dictionary();
  for (const [name, spec] of Object.entries(options)) {
    // internal/charm/config.go ReadConfig: an option with no type is a string ("missing type is
    // valid in python"); another unknown type is refused.
    const given = isRecord(spec) ? spec.type : undefined;
    const type = given === undefined || given === null || given === '' ? 'string' : given;
    if (!(OPTION_TYPES as readonly unknown[]).includes(type)) {
      throw new TypeError(
        `${source} config option ${name} has type ${describeValue(type)}: Juju takes ${listOf([...OPTION_TYPES])}`,
      );
    }
    const typed = type as OptionSpec['type'];
    if (!isRecord(spec) || !Object.hasOwn(spec, 'default')) {
      out[name] = { type: typed };
      continue;
    }
    out[name] = { type: typed, default: defaultOf(source, name, typed, spec.default) };
  }
  return out;
}

/**
 * An option's default as Juju holds it (ReadConfig: `option.validate`, juju/schema's checkers):
 * an int from an integer or a string strconv.ParseInt reads (base prefixes included), a float
 * from a float only, a boolean from a boolean or a string strconv.ParseBool reads, a string from
 * a string only (an empty one as it is); anything else makes the charm's config invalid.
 */
function defaultOf(source: string, name: string, type: OptionSpec['type'], value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value === '' && (type === 'string' || type === 'secret')) return '';
  const refused = (): never => {
    throw new TypeError(
      `${source} has an invalid config default: option "${name}" expected ${type === 'boolean' ? 'bool' : type}, got ${goValue(value)} (Juju reads charm YAML as YAML 1.1 and refuses the charm)`,
    );
  };
  switch (type) {
    case 'string':
    case 'secret':
      return typeof value === 'string' ? value : refused();
    case 'int': {
      if (typeof value === 'bigint') return Number(value);
      if (typeof value !== 'string') return refused();
      return goParseInt(value) ?? refused();
    }
    case 'float':
      return typeof value === 'number' ? value : refused();
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (typeof value !== 'string') return refused();
      if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
      if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
      return refused();
    }
  }
}

/** strconv.ParseInt(text, 0, 64): a sign, then decimal, 0x, 0o, 0b or a leading-0 octal. */
function goParseInt(text: string): number | undefined {
  const match =
    /^([+-]?)(0x[0-9a-f](?:_?[0-9a-f])*|0o?[0-7](?:_?[0-7])*|0b[01](?:_?[01])*|[1-9](?:_?[0-9])*|0)$/i.exec(
      text,
    );
  if (match === null) return undefined;
  const clean = (match[2] ?? '').replace(/_/g, '').toLowerCase();
  const value = Number(BigInt(/^0[0-7]+$/.test(clean) ? `0o${clean.slice(1)}` : clean));
  return match[1] === '-' ? -value : value;
}

/** A value as Go's `%#v` prints it, for Juju's message. */
function goValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return describeValue(value);
}

/** `value` with every integer YAML read as a BigInt made a number, for the rest of a charm's metadata. */
function numbers(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(numbers);
  const plain =
    isRecord(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);
  if (plain) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, numbers(v)]));
  return value;
}

function endpointsOf(
  main: Record<string, unknown>,
  source: string,
): Record<string, 'provides' | 'requires' | 'peers'> {
  const out: Record<string, 'provides' | 'requires' | 'peers'> = dictionary();
  for (const role of ['provides', 'requires', 'peers'] as const) {
    const declared = main[role];
    if (declared === undefined || declared === null) continue;
    if (!isRecord(declared)) throw new TypeError(`${source} ${role} must be a mapping of endpoints`);
    for (const name of Object.keys(declared)) out[name] = role;
  }
  return out;
}

function actionsOf(actions: unknown, source: string): Record<string, ActionSpec> {
  if (actions === undefined || actions === null) return {};
  if (!isRecord(actions)) throw new TypeError(`${source} actions must be a mapping of actions`);
  const out: Record<string, ActionSpec> = dictionary();
  for (const [name, spec] of Object.entries(actions)) {
    const action = isRecord(spec) ? spec : {};
    const params = isRecord(action.params) ? action.params : {};
    out[name] = {
      params: Object.assign(
        dictionary<ParameterSpec>(),
        Object.fromEntries(
          Object.entries(params).map(([param, schema]) => [
            param,
            isRecord(schema) ? (schema as ParameterSpec) : {},
          ]),
        ),
      ),
      required: Array.isArray(action.required)
        ? action.required.filter((r): r is string => typeof r === 'string')
        : [],
      additionalProperties: action.additionalProperties !== false,
    };
  }
  return out;
}

/**
 * The configuration `config-get` serves: each declared option's value, else its default, else
 * none (`null`); a value of the wrong type or an undeclared option refused.
 *
 * @throws TypeError naming the declared options and their types.
 * @internal
 */
export function configOf(
  metadata: Metadata,
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const declared = Object.entries(metadata.options)
    .map(([name, spec]) => `${name} (${spec.type})`)
    .join(', ');
  for (const [name, value] of Object.entries(given)) {
    const spec = own(metadata.options, name);
    if (spec === undefined) {
      throw new TypeError(
        `config option ${name} is not declared in ${metadata.source}: it declares ${declared === '' ? 'none' : declared}`,
      );
    }
    if (value !== null && !fits(spec.type, value)) {
      throw new TypeError(
        `config option ${name} is declared ${spec.type} in ${metadata.source}, got ${describeValue(value)}`,
      );
    }
  }
  const out: Record<string, unknown> = dictionary();
  for (const [name, spec] of Object.entries(metadata.options)) {
    out[name] = own(given, name) ?? spec.default ?? null;
  }
  return out;
}

function fits(type: OptionSpec['type'], value: unknown): boolean {
  switch (type) {
    case 'string':
    case 'secret':
      return typeof value === 'string';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}

/**
 * The parameters an action runs with, as Juju gives them: checked against the action's schema
 * (type, enum, required, no undeclared one where `additionalProperties: false`), defaults
 * filled in.
 *
 * @throws TypeError naming the declared actions or parameters.
 * @internal
 */
export function actionParamsOf(
  metadata: Metadata,
  action: string,
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const spec = own(metadata.actions, action);
  if (spec === undefined) {
    const names = Object.keys(metadata.actions);
    throw new TypeError(
      `action ${action} is not declared in ${metadata.source}: it declares ${names.length === 0 ? 'no actions' : names.join(', ')}`,
    );
  }
  const declared = Object.keys(spec.params);
  const out: Record<string, unknown> = dictionary();
  for (const [name, schema] of Object.entries(spec.params)) {
    if (schema.default !== undefined) out[name] = schema.default;
  }
  for (const [name, value] of Object.entries(given)) {
    const schema = own(spec.params, name);
    if (schema === undefined) {
      if (!spec.additionalProperties) {
        throw new TypeError(
          `action ${action} takes no parameter ${name} (${metadata.source}, additionalProperties: false): it takes ${declared.join(', ') || 'none'}`,
        );
      }
    } else {
      checkParameter(action, name, schema, value);
    }
    out[name] = value;
  }
  const missing = spec.required.filter((name) => !Object.hasOwn(out, name));
  if (missing.length > 0) {
    throw new TypeError(`action ${action} needs ${listOf(missing, 'and')} (required in ${metadata.source})`);
  }
  return out;
}

/**
 * A parameter held to its schema as JSON Schema holds it (Juju validates action parameters with
 * a JSON Schema validator): `type` one name or a list of them, any of which will do; `enum` its
 * values compared as JSON values (objects and arrays by content).
 */
function checkParameter(action: string, name: string, schema: ParameterSpec, value: unknown): void {
  const types: readonly unknown[] =
    schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const fits = (type: unknown): boolean =>
    (type === 'string' && typeof value === 'string') ||
    (type === 'integer' && typeof value === 'number' && Number.isInteger(value)) ||
    (type === 'number' && typeof value === 'number') ||
    (type === 'boolean' && typeof value === 'boolean') ||
    (type === 'array' && Array.isArray(value)) ||
    (type === 'object' && isRecord(value)) ||
    (type === 'null' && value === null);
  if (types.length > 0 && !types.some(fits)) {
    throw new TypeError(
      `action ${action} parameter ${name} is declared ${types.map(String).join(' or ')}, got ${describeValue(value)}`,
    );
  }
  if (schema.enum !== undefined && !schema.enum.some((allowed) => sameJson(allowed, value))) {
    throw new TypeError(
      `action ${action} parameter ${name} takes one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(value)}`,
    );
  }
}

/** Whether two JSON values are equal, objects by their members whatever their order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]))
    );
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]))
    );
  }
  return a === b;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A record with no prototype: a name a charm declares (`constructor`, `toString`, `__proto__`)
 * is data in it, never something of Object's.
 */
function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `record[key]` when the record itself holds it, never through its prototype. */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
