import { describeValue, isThenable, messageOf } from './input.js';
import { type SettableStatus, type StatusBase, settable } from './status.js';

/** A class whose instances `onError` recognizes with `instanceof`, such as `TypeError`. */
export type ErrorType = abstract new (...args: never[]) => unknown;

/**
 * What `onError(status, ...errorTypes)` returns: a function wrapper that is also a standard
 * (TC39) method decorator.
 */
export interface OnErrorWrapper {
  /**
   * Wraps `fn`, keeping its signature: sync stays sync, async stays async.
   *
   * @typeParam F - the wrapped function's type, which the wrapper keeps.
   */
  <F extends (...args: never[]) => unknown>(fn: F): F;
  /**
   * Decorates a class method: `@onError(status) async method() { … }`.
   *
   * @typeParam This - the class the method belongs to.
   * @typeParam Args - the method's parameters.
   * @typeParam Return - what the method returns.
   */
  <This, Args extends unknown[], Return>(
    method: (this: This, ...args: Args) => Return,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): (this: This, ...args: Args) => Return;
}

/**
 * Thrown by a function wrapped with `onError` when it failed with an expected error, once
 * the matching status has been added. It lets a charm leave its reconcile work early and
 * cleanly: catch it around the work, log it, and let the context publish the status.
 */
export class ReconcilerError extends Error {
  /** Always `'ReconcilerError'`. */
  override readonly name = 'ReconcilerError';
  /** The status that was added for this error. */
  readonly status: SettableStatus;

  constructor(message: string, options: { cause: unknown; status: SettableStatus }) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

/**
 * Makes the wrapper behind `onError` for a bus.
 *
 * @throws TypeError for a status that cannot be set, or an error type that is not a class.
 * @internal
 */
export function wrapOnError(
  bus: { add(status: StatusBase): void },
  status: StatusBase,
  errorTypes: readonly ErrorType[],
): OnErrorWrapper {
  const expected = settable(status, 'onError() status');
  errorTypes.forEach((type, index) => {
    if (typeof type !== 'function' || typeof (type as { prototype?: unknown }).prototype !== 'object') {
      throw new TypeError(
        `onError() error type ${String(index + 1)} must be a class such as Error or TypeError (matched with instanceof), got ${describeValue(type)}`,
      );
    }
  });
  const matches = (error: unknown): boolean =>
    errorTypes.length === 0 || errorTypes.some((type) => error instanceof type);
  const fail = (error: unknown): never => {
    if (!matches(error)) throw error;
    bus.add(expected);
    throw new ReconcilerError(`Found expected exception: ${messageOf(error)}`, {
      cause: error,
      status: expected,
    });
  };

  function wrap(fn: unknown, decorated?: unknown): unknown {
    if (typeof fn !== 'function') {
      throw new TypeError(`onError() wraps a function or decorates a method, got ${describeValue(fn)}`);
    }
    if (decorated !== undefined) {
      const kind = (decorated as { kind?: unknown }).kind;
      if (kind !== 'method') {
        throw new TypeError(
          `onError() decorates methods only, got a decorator context of kind ${describeValue(kind)}`,
        );
      }
    }
    const original = fn as (...args: unknown[]) => unknown;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      let result: unknown;
      try {
        result = original.apply(this, args);
      } catch (error) {
        return fail(error);
      }
      if (isThenable(result)) {
        return result.then(undefined, fail);
      }
      return result;
    };
    Object.defineProperty(wrapped, 'name', { value: original.name, configurable: true });
    return wrapped;
  }
  return wrap as OnErrorWrapper;
}
