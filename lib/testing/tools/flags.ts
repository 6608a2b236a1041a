// Arguments as Juju's tools read them: juju/gnuflag (flags anywhere before `--`, `--name=value`
// and `--name value`, booleans that take `=value` as Go's strconv.ParseBool reads it) and
// juju/cmd's `--help`.

import { parseArgs } from 'node:util';

import { isMap, isScalar, parseDocument } from 'yaml';

import { type Flag, type Parsed, type Tool, ToolExit } from './tool.js';

/** What Go's `strconv.ParseBool` accepts. */
const TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/**
 * The `--format` flag of the tools that print (juju/cmd's output formats).
 *
 * @internal
 */
export const FORMAT_FLAG: Readonly<Record<string, Flag>> = {
  format: { type: 'string', usage: 'Specify output format (json|smart|yaml)' },
};

/**
 * The flags a tool takes, `--format` included where it prints.
 *
 * @internal
 */
export function flagsOf(tool: Tool): Readonly<Record<string, Flag>> {
  if (tool.format === 'yaml') {
    return { format: { type: 'string', usage: 'Specify output format (json|yaml)' }, ...tool.flags };
  }
  return tool.format === true ? { ...FORMAT_FLAG, ...tool.flags } : tool.flags;
}

/**
 * Parses arguments as gnuflag does, with `node:util`'s tokens: flags anywhere before `--`;
 * `--name=value` and `--name value` for string flags; booleans that take `=value` as Go's
 * `ParseBool` reads it (`--application=False` is false); an undefined flag refused with exit 2.
 *
 * @internal
 */
export function parse(argv: readonly string[], flags: Readonly<Record<string, Flag>>): Parsed {
  const options: Record<string, { type: 'boolean' | 'string'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, flag] of Object.entries(flags)) {
    if (name.length === 1) continue; // one-letter flags are given as the short form of another
    options[name] = { type: flag.type, ...(flag.short === undefined ? {} : { short: flag.short }) };
  }
  for (const [name, flag] of Object.entries(flags)) {
    if (name.length === 1) options[`short-${name}`] = { type: flag.type, short: name };
  }
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const parsed: Parsed = { flags: {}, args: [] };
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (token === undefined || token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      parsed.args.push(token.value);
      continue;
    }
    const name = token.name.startsWith('short-') ? token.name.slice(6) : token.name;
    const key =
      name === 'help' || flags[name] !== undefined
        ? name
        : (Object.keys(flags).find((n) => flags[n]?.short === name) ?? name);
    const flag: Pick<Flag, 'type'> | undefined = name === 'help' ? { type: 'boolean' } : flags[key];
    const raw = token.rawName;
    if (flag === undefined) throw new ToolExit(2, `flag provided but not defined: ${raw}`);
    if (flag.type === 'boolean') {
      if (token.inlineValue === true) {
        const value = token.value;
        if (!TRUE.includes(value) && !FALSE.includes(value)) {
          throw new ToolExit(2, `invalid value "${value}" for flag ${raw}: parse error`);
        }
        parsed.flags[key] = TRUE.includes(value);
      } else {
        parsed.flags[key] = true;
      }
      continue;
    }
    let value = token.value;
    if (value === undefined) {
      // parseArgs in loose mode reads `--name value` only for declared string options.
      const next = tokens[i + 1];
      if (next?.kind !== 'positional') throw new ToolExit(2, `flag needs an argument: ${raw}`);
      value = next.value;
      i += 1;
    }
    parsed.flags[key] = value;
  }
  return parsed;
}

/**
 * `--help`: what juju/cmd prints, on stdout, exit 0.
 *
 * @internal
 */
export function help(tool: Tool): string {
  const lines = Object.entries(flagsOf(tool)).map(
    ([name, f]) =>
      `${name.length === 1 ? '-' : '--'}${name}${f.short === undefined ? '' : `, -${f.short}`}${f.type === 'string' ? ' (= "")' : ' (= false)'}\n    ${f.usage}`,
  );
  const options = lines.length > 0 ? `\nOptions:\n${lines.join('\n')}\n` : '';
  return `Usage: ${tool.usage}\n\nSummary:\n${tool.purpose}\n${options}`;
}

/**
 * `key=value` arguments, as juju/utils `keyvalues.Parse(args, true)` reads them for
 * `state-set` and `relation-set`: split at the first `=`, key and value trimmed of white space,
 * an empty value allowed, an empty key or a key given twice refused (exit 2, from `Init`).
 *
 * @internal
 */
export function keyValues(args: readonly string[]): [string, string][] {
  const pairs = new Map<string, string>();
  for (const arg of args) {
    const at = arg.indexOf('=');
    if (at < 0) throw new ToolExit(2, `expected "key=value", got ${JSON.stringify(arg)}`);
    const key = arg.slice(0, at).trim();
    const value = arg.slice(at + 1).trim();
    if (key === '') throw new ToolExit(2, `expected "key=value", got "${key}=${value}"`);
    if (pairs.has(key)) throw new ToolExit(2, `key ${JSON.stringify(key)} specified more than once`);
    pairs.set(key, value);
  }
  return [...pairs];
}

/**
 * The settings `--file` holds, as relation-set.go's `readSettings` reads them for `state-set`
 * and `relation-set`: a YAML mapping decoded into strings (Go's yaml into `map[string]string`:
 * a scalar is its text, null is empty), then the `key=value` arguments over them. Anything but
 * a mapping of scalars is refused, exit 1.
 */
export function settings(file: string | undefined, args: readonly string[]): [string, string][] {
  const out = new Map<string, string>();
  if (file !== undefined) {
    // gopkg.in/yaml.v2's reader refuses a character outside YAML's printable set (readerc.go),
    // and reads NEL, U+2028 and U+2029 as line breaks (YAML 1.1), which a quoted or plain scalar
    // folds into a space.
    if (/[^\t\n\r\u0020-\u007e\u0085\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(file)) {
      throw new ToolExit(1, 'yaml: control characters are not allowed');
    }
    const document = parseDocument(file.replace(/[\u0085\u2028\u2029]/g, ' '), { schema: 'failsafe' });
    if (document.errors.length > 0)
      throw new ToolExit(1, `yaml: ${document.errors[0]?.message ?? 'invalid'}`);
    const root = document.contents;
    if (root !== null && !isMap(root))
      throw new ToolExit(1, 'yaml: unmarshal errors: cannot unmarshal into map[string]string');
    for (const pair of root?.items ?? []) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const value = pair.value === null ? '' : isScalar(pair.value) ? String(pair.value.value) : undefined;
      if (key === undefined || value === undefined) {
        throw new ToolExit(1, 'yaml: unmarshal errors: cannot unmarshal !!map or !!seq into string');
      }
      out.set(
        key,
        /^(~|null|Null|NULL)$/.test(value) && isScalar(pair.value) && pair.value.type === 'PLAIN'
          ? ''
          : value,
      );
    }
  }
  for (const [key, value] of keyValues(args)) out.set(key, value);
  return [...out];
}
