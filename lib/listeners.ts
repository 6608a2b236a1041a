import { isThenable } from './thenable.js';

/**
 * Listener isolation: a listener that throws, or returns a promise that rejects, must not reach
 * the code that called `add()` (a charm library reporting a status cannot be expected to
 * survive a failing log sink), and must not stop the listeners after it. So the bus never
 * stores a listener itself: it stores a *guard* that calls it and hands any failure to
 * `failed`.
 *
 * The guard remembers its listener under {@link LISTENER}, so that `off(event, listener)` and
 * `listeners(event)` speak of what the caller registered. eventemitter3 fires a `once`
 * listener by calling `removeListener(event, guard)` itself, with the guard rather than the
 * caller's function: that is why `removeListener` accepts a guard as well as a listener.
 *
 * @module
 * @internal
 */

/** Where a guard keeps the listener it protects. @internal */
export const LISTENER: unique symbol = Symbol('listener');

/** Any listener, as the guard calls it. */
type Listener = (this: unknown, ...args: unknown[]) => unknown;

/** A guard, as eventemitter3 stores it. @internal */
export type Guard = ((this: unknown, a?: unknown, b?: unknown) => void) & { readonly [LISTENER]: Listener };

/**
 * Wraps `listener` for an event emitted with `arity` arguments (at most two, as every status bus
 * event is). One function per arity, so that a listener receives exactly its event's arguments
 * without the guard reading `arguments` on every call; `error` is emitted with one or two.
 *
 * @param failed - told of each failure, thrown or rejected, with the event's first argument.
 * @internal
 */
export function guard(
  listener: Listener,
  arity: 1 | 2 | 'error',
  failed: (failure: unknown, first: unknown) => void,
): Guard {
  const settle = (result: unknown, first: unknown): void => {
    try {
      if (isThenable(result)) {
        Promise.resolve(result).then(undefined, (failure: unknown) => {
          failed(failure, first);
        });
      }
    } catch (failure) {
      failed(failure, first); // a `then` getter that throws
    }
  };
  let wrapped: (this: unknown, a?: unknown, b?: unknown) => void;
  if (arity === 1) {
    wrapped = function (this: unknown, a?: unknown): void {
      try {
        const result = listener.call(this, a);
        if (result !== undefined) settle(result, a);
      } catch (failure) {
        failed(failure, a);
      }
    };
  } else if (arity === 2) {
    wrapped = function (this: unknown, a?: unknown, b?: unknown): void {
      try {
        const result = listener.call(this, a, b);
        if (result !== undefined) settle(result, a);
      } catch (failure) {
        failed(failure, a);
      }
    };
  } else {
    wrapped = function (this: unknown, a?: unknown, b?: unknown): void {
      try {
        const result = arguments.length < 2 ? listener.call(this, a) : listener.call(this, a, b);
        if (result !== undefined) settle(result, a);
      } catch (failure) {
        failed(failure, a);
      }
    };
  }
  return Object.assign(wrapped, { [LISTENER]: listener });
}

/** True for a guard made by {@link guard}. @internal */
export function isGuard(value: unknown): value is Guard {
  return typeof value === 'function' && LISTENER in value;
}
