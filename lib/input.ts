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
      return `a ${ctor.name} instance`;
    }
  } catch {
    // A proxy with a throwing trap: say what we can.
  }
  return 'an object';
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
 * True for an object made by `{ … }` or `Object.create(null)`; false for anything else,
 * including arrays, class instances and proxies whose traps throw or that were revoked.
 *
 * @internal
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  } catch {
    return false;
  }
}

/**
 * Checks an options argument: a plain object whose keys are all among `allowed`. A misspelt
 * option is refused rather than silently ignored, because an ignored `exitstatus` would
 * publish the wrong status with no hint why.
 *
 * @param where - how the caller names the options in the error, such as `'HookToolUnit options'`.
 * @throws TypeError naming what was passed and what is accepted.
 * @internal
 */
export function checkOptions(value: unknown, where: string, allowed: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new TypeError(`${where} must be a plain object such as { ${allowed.join(', ')} }, got ${describeValue(value)}`);
  }
  const options = value;
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${where} has an unknown option "${key}": expected ${allowed.join(', ')}`);
    }
  }
  return options;
}

/**
 * True for a promise or any object with a `then` method: what a unit's write or a listener may
 * return to say that it finishes later. A getter on `then` that throws is the caller's to catch.
 *
 * @internal
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
