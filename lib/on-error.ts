import { describeValue, messageOf, withArticle } from './describe.js';
import { adopt } from './thenable.js';
import { type SettableStatus, type StatusBase, settable } from './status.js';

/** A class whose instances `onError` recognizes with `instanceof`, such as `TypeError`. */
export type ErrorType = abstract new (...args: never[]) => unknown;

/**
 * What `onError(status, ...errorTypes)` returns: a function wrapper that is also a method
 * decorator, standard (TC39, TypeScript 5+) and legacy (`experimentalDecorators`) alike.
 */
export interface OnErrorWrapper {
  /**
   * Wraps `fn`, keeping its signature: sync stays sync, async stays async.
   *
   * @typeParam F - the wrapped function's type, which the wrapper keeps.
   */
  <F extends (...args: never[]) => unknown>(fn: F, decorating?: never): F;
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
  /**
   * Decorates a class method under `experimentalDecorators: true` (legacy decorators).
   *
   * @typeParam M - the method's type, which the decorated method keeps.
   */
  <M extends (...args: never[]) => unknown>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): TypedPropertyDescriptor<M>;
}

/**
 * The brand every `ReconcilerError` carries, shared by every copy of this package in a process
 * (through `Symbol.for`): the default bus is shared, so the error an `onError` throws may come
 * from another copy than the one whose class a charm checks it against.
 */
const BRAND: unique symbol = Symbol.for('charms-contextual-status.reconciler-error') as never;

/**
 * Thrown by a function wrapped with `onError` when it failed with an expected error, once
 * the matching status has been added. It lets a charm leave its reconcile work early and
 * cleanly: catch it around the work, log it, and let the context publish the status.
 *
 * `error instanceof ReconcilerError` holds for one made by any copy of this package loaded in
 * the process (a library's copy beside the charm's), as it does for statuses.
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

  /** Recognizes a `ReconcilerError` of any copy by its brand; a subclass by its prototype chain. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== ReconcilerError) return Function.prototype[Symbol.hasInstance].call(this, value);
    if (!(value instanceof Error)) return false;
    try {
      return (value as { [BRAND]?: unknown })[BRAND] === true;
    } catch {
      return false;
    }
  }

  static {
    Object.defineProperty(this.prototype, BRAND, { value: true });
  }
}

/**
 * What `onError` needs of its bus: where the status goes, and where the expected error is told.
 *
 * @internal
 */
export interface OnErrorHost {
  add(status: StatusBase): void;
  emit(event: 'expected', error: ReconcilerError): boolean;
}

/**
 * Makes the wrapper behind `onError` for a bus.
 *
 * @throws TypeError for a status that cannot be set, or an error type that is not a class.
 * @internal
 */
export function wrapOnError(
  bus: OnErrorHost,
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
    const reconcilerError = new ReconcilerError(`Found expected exception: ${messageOf(error)}`, {
      cause: error,
      status: expected,
    });
    bus.emit('expected', reconcilerError);
    throw reconcilerError;
  };

  const wrap = (original: (...args: unknown[]) => unknown): ((...args: unknown[]) => unknown) => {
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      let result: unknown;
      try {
        result = original.apply(this, args);
      } catch (error) {
        return fail(error);
      }
      const later = adopt(result);
      return later === undefined ? result : later.then(undefined, fail);
    };
    // The wrapper keeps what callers and frameworks read of the function.
    Object.defineProperty(wrapped, 'name', { value: original.name, configurable: true });
    Object.defineProperty(wrapped, 'length', { value: original.length, configurable: true });
    return wrapped;
  };

  function decorate(fn: unknown, second?: unknown, descriptor?: unknown): unknown {
    if (second === undefined) {
      if (typeof fn !== 'function') {
        throw new TypeError(`onError() wraps a function or decorates a method, got ${describeValue(fn)}`);
      }
      return wrap(fn as (...args: unknown[]) => unknown);
    }
    if (typeof second === 'string' || typeof second === 'symbol') {
      // Legacy decorator (experimentalDecorators): (prototype, key, descriptor).
      const value = (descriptor as PropertyDescriptor | undefined)?.value as unknown;
      if (typeof value !== 'function') {
        throw new TypeError(
          `onError() decorates methods only, got ${descriptor === undefined ? 'a field' : 'an accessor'} (${String(second)})`,
        );
      }
      return { ...(descriptor as PropertyDescriptor), value: wrap(value as (...args: unknown[]) => unknown) };
    }
    const kind = (second as { kind?: unknown }).kind;
    if (kind !== 'method' || typeof fn !== 'function') {
      throw new TypeError(
        `onError() decorates methods only, got ${typeof kind === 'string' ? withArticle(kind) : describeValue(kind)}`,
      );
    }
    return wrap(fn as (...args: unknown[]) => unknown);
  }
  return decorate as OnErrorWrapper;
}
