// Compile-time spec, checked by `tsc --noEmit` (npm test) and never run: every line marked
// `@ts-expect-error` must fail to compile. If one compiles, tsc reports the unused directive
// and the test run fails. The lines that are not marked show what must compile.
import {
  ActiveStatus,
  BlockedStatus,
  MaintenanceStatus,
  MemoryUnit,
  StatusBase,
  StatusBus,
  UnknownStatus,
  WaitingStatus,
  type StatusContext,
  type Unit,
} from '../lib/index.js';
import * as status from '../lib/index.js';

export async function typeSpec(): Promise<void> {
  const bus = new StatusBus();

  // The event map is strict: an unknown event name does not compile.
  // @ts-expect-error 'blockd' is not an event of the status bus
  bus.on('blockd', () => undefined);
  // @ts-expect-error nor is a Node EventEmitter event
  bus.on('newListener', () => undefined);
  // @ts-expect-error emit() is typed as well
  bus.emit('unknown-event');

  // Listeners get typed arguments, and a listener for the wrong status does not compile.
  bus.on('blocked', (s: BlockedStatus, contexts: readonly StatusContext[]) => [s.message, contexts.length]);
  // @ts-expect-error a blocked event carries a BlockedStatus, not a MaintenanceStatus
  bus.on('blocked', (s: MaintenanceStatus) => s);
  // @ts-expect-error a warning carries a message string
  bus.on('warning', (message: number) => message);
  bus.on('error', (error: Error, context?: StatusContext) => [error.message, context?.closed]);

  // add() takes statuses only.
  // @ts-expect-error a name is not a status
  status.add('blocked');
  // @ts-expect-error a look-alike is not a status
  status.add({ name: 'blocked', message: 'x' });
  status.add(new BlockedStatus('ok'));

  // Status values.
  // @ts-expect-error StatusBase is abstract
  new StatusBase('x');
  // @ts-expect-error 'broken' is not a Juju status name
  StatusBase.fromName('broken');
  // @ts-expect-error a message is a string
  new WaitingStatus(42);
  const waiting: WaitingStatus = StatusBase.fromName('waiting', 'narrowed by name');
  // @ts-expect-error fromName('active') is an ActiveStatus, not a BlockedStatus
  const wrong: BlockedStatus = StatusBase.fromName('active');

  // Units: anything with setStatus; context() keeps the body's type.
  const unit: Unit = { setStatus: async (_s: StatusBase) => undefined };
  const n: number = await status.context(unit, () => 1);
  const s: string = await status.context(new MemoryUnit(), async () => 'x');
  // @ts-expect-error the body's result type carries through
  const t: string = await status.context(unit, () => 1);
  // @ts-expect-error a unit needs setStatus
  await status.context({ status: new ActiveStatus() }, () => 1);
  // @ts-expect-error options have exitStatus and errorStatus only
  status.open(unit, { exit: new ActiveStatus() });
  // @ts-expect-error an exit status is a status
  status.open(unit, { exitStatus: 'active' });

  // onError keeps the wrapped function's signature.
  const wrapped = status.onError(
    waiting,
    TypeError,
    RangeError,
  )((a: number, b: string) => `${String(a)}${b}`);
  const out: string = wrapped(1, 'x');
  // @ts-expect-error the wrapper keeps the parameter types
  wrapped('x', 1);
  // @ts-expect-error error types are classes
  status.onError(waiting, 'TypeError');
  const unknown = new UnknownStatus();

  [n, s, t, out, wrong, unknown];
}

// onError decorates methods only: on a getter, a setter or a field it would throw at class
// definition, so it must not compile.
export class Decorated {
  @status.onError(new WaitingStatus('w'))
  method(): number {
    return 1;
  }

  // @ts-expect-error onError does not decorate getters
  @status.onError(new WaitingStatus('w'))
  get port(): number {
    return 1;
  }

  // @ts-expect-error onError does not decorate setters
  @status.onError(new WaitingStatus('w'))
  set port(value: number) {
    console.info(value);
  }

  // @ts-expect-error onError does not decorate fields
  @status.onError(new WaitingStatus('w'))
  field = 1;
}
