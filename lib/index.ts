export {
  ActiveStatus,
  BlockedStatus,
  ErrorStatus,
  MaintenanceStatus,
  StatusBase,
  UnknownStatus,
  WaitingStatus,
  isStatus,
  type SettableStatus,
  type SettableStatusName,
  type StatusByName,
  type StatusName,
} from './status.js';
export { MemoryUnit, type Unit, type WriteOptions } from './unit.js';
export { StatusBus, type StatusBusEvent, type StatusBusEvents, type StatusBusListener } from './bus.js';
export { StatusContext } from './context.js';
export type { CloseOptions, ContextOptions } from './context-options.js';
export { ReconcilerError, type ErrorType, type OnErrorWrapper } from './on-error.js';
export { add, bus, context, onError, open } from './default.js';
export {
  HookToolError,
  NotLeaderError,
  PermissionDeniedError,
  SecretNotFoundError,
  runHookTool,
  type HookToolFailure,
  type HookToolOptions,
  type RunHookToolOptions,
} from './juju/hook-tool.js';
export { HookToolUnit, type HookToolUnitOptions } from './juju/unit.js';
export { jujuLog, type Detach, type JujuLogOptions, type LogLevel, type LoggedEvent } from './juju/log.js';
export { reconcile, type ReconcileOptions, type ReconcileOutcome } from './reconcile.js';
export type { UnitStatus } from './juju/application.js';
/** @internal */
export { settable } from './status.js';
/** @internal */
export { JUJU_LOG_LEVELS } from './juju/log.js';
