// What the tools print, as juju/cmd's output formats print it: `smart`, `json` and `yaml`.

import type { Parsed } from './tool.js';
import { ToolExit } from './tool.js';

const FORMATS = ['smart', 'json', 'yaml'];
/** The tools that print only YAML (their default) or JSON, such as secret-get and goal-state. */
const YAML_JSON = ['yaml', 'json'];

/**
 * The `--format` asked for (default `smart`, or `yaml` for the tools that take only `yaml`
 * and `json`); an unknown one refused with exit 2.
 *
 * @internal
 */
export function formatOf(parsed: Parsed, only?: 'yaml'): string {
  const accepted = only === 'yaml' ? YAML_JSON : FORMATS;
  const value = parsed.flags.format ?? accepted[0] ?? 'smart';
  if (typeof value !== 'string' || !accepted.includes(value)) {
    throw new ToolExit(
      2,
      `invalid value "${String(value)}" for flag --format: unknown format "${String(value)}"`,
    );
  }
  return value;
}

/**
 * Prints a value as juju/cmd does in `format`: `smart` prints a string as it is, a boolean as
 * `True`/`False`, nothing for null, and anything else as YAML; a line end is added.
 *
 * @internal
 */
export function render(value: unknown, format: string): string {
  if (format === 'json') return `${JSON.stringify(value ?? null, sortMaps)}\n`;
  if (format === 'yaml') return value === null || value === undefined ? '' : yaml(value);
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'True\n' : 'False\n';
  if (typeof value === 'string') return value === '' || value.endsWith('\n') ? value : `${value}\n`;
  if (typeof value === 'number' || typeof value === 'bigint') return `${String(value)}\n`;
  if (typeof value !== 'object') return '';
  return yaml(value);
}

/** Marks the objects that are Go structs in Juju's output: their fields keep their order. */
const STRUCTS = new WeakSet<object>();

/**
 * Marks `fields` as a Go struct of Juju's (`goal-state`'s, `secret-info-get`'s, a cloud spec):
 * printed in the order of its fields, where a map's keys are printed sorted, as Go prints both.
 *
 * @internal
 */
export function struct<T extends object>(fields: T, yamlOnly?: readonly (keyof T & string)[]): T {
  STRUCTS.add(fields);
  if (yamlOnly !== undefined) YAML_ONLY.set(fields, new Set(yamlOnly));
  return fields;
}

/** The fields of a struct that only its YAML prints (Go's `json:"-"` with a `yaml` tag). */
const YAML_ONLY = new WeakMap<object, ReadonlySet<string>>();

/** A JSON replacer that prints a map's keys sorted, as Go's encoding/json does. */
function sortMaps(this: unknown, _key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const hidden = YAML_ONLY.get(value);
  if (hidden !== undefined) {
    return Object.fromEntries(Object.entries(value).filter(([key]) => !hidden.has(key)));
  }
  if (STRUCTS.has(value)) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key]]),
  );
}

/**
 * YAML as Go's yaml package writes it: a map's keys sorted, a struct's fields in order, strings quoted only where YAML needs it,
 * empty maps as `{}`.
 */
function yaml(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'null\n';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]\n';
    return value.map((v) => `${indent}- ${yaml(v, `${indent}  `).trimStart()}`).join('');
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = STRUCTS.has(record) ? Object.keys(record) : Object.keys(record).sort();
    if (keys.length === 0) return '{}\n';
    return keys
      .map((key) => {
        const v = record[key];
        const nested = v !== null && typeof v === 'object' && Object.keys(v).length > 0;
        // gopkg.in/yaml.v2 (juju/cmd's FormatYaml) writes a sequence in a mapping at the key's
        // own indent, and a mapping in a mapping two spaces in.
        if (nested && Array.isArray(v)) return `${indent}${scalar(key)}:\n${yaml(v, indent)}`;
        return nested
          ? `${indent}${scalar(key)}:\n${yaml(v, `${indent}  `)}`
          : `${indent}${scalar(key)}: ${yaml(v, indent)}`;
      })
      .join('');
  }
  return `${scalar(value)}\n`;
}

function scalar(value: unknown): string {
  if (typeof value !== 'string') return String(value);
  // Plain where YAML reads it back as this same string: no indicator first, no ": " or " #",
  // no white space at the ends, and nothing YAML would read as a boolean, null or number.
  const plain =
    value !== '' &&
    !/^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(value) &&
    !/[\n\t]|: | #|:$|\s$/.test(value) &&
    !/^(true|false|yes|no|on|off|null|y|n|~)$/i.test(value) &&
    !/^[-+]?(\.\d+|\d[\d_]*(\.\d*)?)([eE][-+]?\d+)?$|^0[xo][\da-f]+$|^\.(inf|nan)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}
