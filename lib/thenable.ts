// What a unit's write, a listener or a body may return to say it finishes later, and how it
// is adopted as a native promise.

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

/**
 * Adopts what a function returned: `undefined` for a value that is not a thenable, else a
 * native promise that settles as the thenable does, once. A `then` that is a getter and
 * throws gives a rejected promise, as awaiting it would; a `then` that calls back twice, or
 * never returns, cannot disturb the caller.
 *
 * @internal
 */
export function adopt(value: unknown): Promise<unknown> | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    if (typeof (value as { then?: unknown }).then !== 'function') return undefined;
    return Promise.resolve(value);
  } catch (error) {
    return Promise.reject(error);
  }
}
