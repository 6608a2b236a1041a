// How error messages name values and word lists: bad input gets a clear TypeError, never a
// crash inside the message that was meant to explain it.

/**
 * Names a value for an error message ("a number (42)", "a plain object", "undefined") without
 * ever throwing: bad input must get a clear `TypeError`, never a crash inside the message that
 * was meant to explain it. A proxy whose traps throw is described as "an object".
 *
 * @internal
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
    case 'number':
      return `a number (${String(value)})`;
    case 'bigint':
      return `a bigint (${String(value)}n)`;
    case 'boolean':
      return `a boolean (${String(value)})`;
    case 'symbol':
      return `a symbol (${value.description ?? ''})`;
    case 'function':
      return 'a function';
    default:
      break;
  }
  if (value === null) return 'null';
  try {
    if (Array.isArray(value)) return 'an array';
    if (value instanceof Date) return 'a Date';
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === null || proto === Object.prototype) return 'a plain object';
    const ctor: unknown = (proto as { constructor?: unknown }).constructor;
    if (typeof ctor === 'function' && typeof ctor.name === 'string' && ctor.name !== '') {
      return `${withArticle(ctor.name)} instance`;
    }
  } catch {
    // A proxy with a throwing trap: say what we can.
  }
  return 'an object';
}

/**
 * The stack of a thrown Error, for `juju debug-log`; else its message.
 *
 * @internal
 */
export function stackOf(thrown: unknown): string {
  return thrown instanceof Error && typeof thrown.stack === 'string' ? thrown.stack : messageOf(thrown);
}

/**
 * The message of a thrown value, whatever was thrown (`throw 'text'` happens).
 *
 * @internal
 */
export function messageOf(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  try {
    return String(thrown);
  } catch {
    return describeValue(thrown);
  }
}

/**
 * `a, b or c`: a word list as an error message says it.
 *
 * @internal
 */
export function listOf(words: readonly string[], last = 'or'): string {
  return words.length < 2
    ? words.join('')
    : `${words.slice(0, -1).join(', ')} ${last} ${String(words[words.length - 1])}`;
}

/**
 * `an accessor`, `a getter`: a word with its article.
 *
 * @internal
 */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/**
 * How a unit is named in warnings and reports: its own `toString()` if its class has one
 * (`MemoryUnit(…)`), else its class (`a HookToolUnit`).
 *
 * @internal
 */
export function describeUnit(unit: unknown): string {
  try {
    const proto = Object.getPrototypeOf(unit) as object | null;
    if (proto !== null && proto !== Object.prototype && Object.hasOwn(proto, 'toString')) {
      return (unit as { toString(): string }).toString();
    }
  } catch {
    // fall through
  }
  return unit instanceof Object && unit.constructor !== Object
    ? `a ${unit.constructor.name}`
    : describeValue(unit);
}

/**
 * What a process (or a test's hook run) says of the contexts it leaves without a final status:
 * their units keep showing a stale one. `when` is `'at exit'` or `'when the hook ended'`.
 *
 * @internal
 */
export function unpublishedReport(
  contexts: readonly { readonly unit: unknown; readonly closed: boolean }[],
  when: string,
): string {
  const units = contexts.map((c) => describeUnit(c.unit));
  const writing = contexts.filter((c) => c.closed).length;
  const count = contexts.length;
  const what =
    writing === 0
      ? `${count === 1 ? 'was' : 'were'} still open ${when} and never published a final status`
      : `had not published a final status ${when} (${String(count - writing)} open, ${String(writing)} closing with the final write not landed)`;
  return `charms-contextual-status: ${String(count)} status context${count === 1 ? '' : 's'} ${what}; the unit keeps showing a stale status (units: ${units.join(', ')}). Close every open() context and await it, or use context().`;
}

/**
 * The longest start of `text` of at most `width` code points that ends between graphemes:
 * never half a flag, an accented letter or an emoji with its modifiers.
 *
 * @internal
 */
export function cut(text: string, width: number): string {
  let out = '';
  let used = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { segment } of graphemes.segment(text)) {
    const size = Array.from(segment).length;
    if (used + size > width) break;
    out += segment;
    used += size;
  }
  return out;
}

/**
 * Made at the first summary that needs cutting, not at import: a segmenter loads ICU's break
 * rules, about 15 ms of every hook's start when made eagerly (bench: the import cost).
 */
let graphemes: Intl.Segmenter | undefined;
