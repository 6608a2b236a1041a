// What secret-add and secret-set share: their flags, and the content and metadata they take
// (secretUpsertCommand's Init in jujuc/secret-add.go and secret-set.go; CreateSecretData and
// ReadSecretData in core/secrets/createsecret.go), checked as Juju checks them; and a new id.

import { randomBytes } from 'node:crypto';

import { parseDocument } from 'yaml';

import { SECRET_KEY, SECRET_ROTATE_POLICIES } from '../../juju/names.js';
import { type Call, type Flag, type Parsed, ToolExit } from './tool.js';

const ROTATE: readonly string[] = SECRET_ROTATE_POLICIES;
const MAX_BYTES = 1000 * 1000;

/** A new secret id, as Juju's controller hands out (an xid). */
/** @internal */
export function newId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  return [...randomBytes(20)].map((b) => alphabet[b % 32] ?? '0').join('');
}

/** @internal */
export const UPSERT_FLAGS: Readonly<Record<string, Flag>> = {
  expire: { type: 'string', usage: 'either a duration or time when the secret should expire' },
  rotate: { type: 'string', usage: 'the secret rotation policy' },
  description: { type: 'string', usage: 'the secret description' },
  label: { type: 'string', usage: 'a label used to identify the secret in hooks' },
  file: { type: 'string', usage: 'a YAML file containing secret key values' },
  owner: { type: 'string', usage: 'the owner of the secret, either the application or unit' },
};

/** The `key#file=<path>` files a secret-add or secret-set names, to read before it runs. */
/** @internal */
export function contentFiles(parsed: Parsed): string[] {
  return parsed.args.flatMap((arg) => {
    const at = arg.replace(/=+$/, '').indexOf('=');
    return at > 0 && arg.slice(0, at).endsWith('#file') ? [arg.slice(at + 1)] : [];
  });
}

/** A Go duration (`time.ParseDuration`), in milliseconds; `undefined` when it is not one. */
function duration(text: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
  const match = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (match === null) return text === '0' ? 0 : undefined;
  let total = 0;
  for (const [, number = '', unit = ''] of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(number) * (units[unit] ?? 0);
  }
  return match[1] === '-' ? -total : total;
}

/** @internal */
export interface Upsert {
  content: Record<string, string>;
  label?: string;
  description?: string;
  expire?: string;
  rotate?: string;
  owner: 'application' | 'unit';
}

/** secretUpsertCommand `Init`: the flags, then the content of the arguments and `--file`. */
/** @internal */
export function upsertOf({ parsed, files, file }: Call, args: readonly string[]): Upsert {
  const flag = (name: string): string | undefined => {
    const value = parsed.flags[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const out: Upsert = { content: {}, owner: 'application' };
  const expire = flag('expire');
  if (expire !== undefined) {
    let at = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?$/.test(expire)
      ? Date.parse(/(?:Z|[+-]\d\d:\d\d)$/.test(expire) ? expire : `${expire}Z`)
      : Number.NaN;
    if (Number.isNaN(at)) {
      const ms = duration(expire);
      if (ms === undefined) throw new ToolExit(2, `expire time or duration "${expire}" not valid`);
      if (ms <= 0) throw new ToolExit(2, `negative expire duration "${expire}" not valid`);
      at = Date.now() + ms;
    }
    out.expire = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  const rotate = flag('rotate');
  if (rotate !== undefined && !ROTATE.includes(rotate)) {
    throw new ToolExit(2, `rotate policy "${rotate}" not valid`);
  }
  if (rotate !== undefined) out.rotate = rotate;
  const owner = typeof parsed.flags.owner === 'string' ? parsed.flags.owner : 'application';
  if (owner !== 'application' && owner !== 'unit') throw new ToolExit(2, `secret owner "${owner}" not valid`);
  out.owner = owner;
  const description = flag('description');
  if (description !== undefined) out.description = description;
  const label = flag('label');
  if (label !== undefined) out.label = label;
  // CreateSecretData: key=value (trailing "=" of base64 padding kept in the value),
  // key#file=<path> read from that file, key#base64=<already encoded>.
  const raw: [string, string, boolean][] = [];
  for (const arg of args) {
    const at = arg.replace(/=+$/, '').indexOf('=');
    if (at < 1) throw new ToolExit(2, `key value "${arg}" not valid`);
    let key = arg.slice(0, at);
    let value = arg.slice(at + 1);
    if (key.endsWith('#file')) {
      key = key.slice(0, -'#file'.length);
      const read = files.get(value);
      if (read === undefined) {
        throw new ToolExit(
          2,
          `reading content for secret key "${key}": open ${value}: no such file or directory`,
        );
      }
      if (Buffer.byteLength(read) > MAX_BYTES) {
        throw new ToolExit(
          2,
          `secret content in file "${value}" too large: ${String(Buffer.byteLength(read))} bytes`,
        );
      }
      value = read;
    }
    raw.push([key, value, false]);
  }
  if (file !== undefined) {
    // ReadSecretData: JSON, else YAML, a mapping of keys to values.
    const document = parseDocument(file);
    const data: unknown = document.errors.length > 0 ? undefined : document.toJS();
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new ToolExit(2, 'yaml: unmarshal errors: cannot unmarshal into map[string]string');
    }
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      raw.push([key, typeof value === 'string' ? value : JSON.stringify(value), false]);
    }
  }
  let total = 0;
  for (const [given, value] of raw) {
    const encoded = given.endsWith('#base64');
    const key = encoded ? given.slice(0, -'#base64'.length) : given;
    if (!SECRET_KEY.test(key)) throw new ToolExit(2, `key "${key}" not valid`);
    const base64 = encoded ? value : Buffer.from(value).toString('base64');
    if (base64.length > MAX_BYTES) {
      throw new ToolExit(
        2,
        `base64 encoded secret content for key "${key}" too large: ${String(base64.length)} bytes`,
      );
    }
    total += base64.length;
    out.content[key] = encoded ? Buffer.from(value, 'base64').toString() : value;
  }
  if (total > MAX_BYTES) {
    throw new ToolExit(2, `base64 encoded secret content too large: ${String(total)} bytes`);
  }
  return out;
}
