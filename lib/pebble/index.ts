// `charms-contextual-status/pebble`: a Kubernetes charm's workload containers, through the
// Pebble daemon in each, and their health as status conditions on the bus.

export { Container, type ContainerOptions, type NoticesFilter } from './container.js';
export {
  type Change,
  type ChangeTask,
  ChangeError,
  ConnectionError,
  ExecError,
  PathError,
  PebbleError,
  TimeoutError,
} from './errors.js';
export { type WorkloadHealth, type WorkloadOptions, checkWorkload } from './workload.js';
export type {
  CheckInfo,
  CheckSpec,
  ExecCheck,
  ExecOptions,
  ExecResult,
  FileInfo,
  HttpCheck,
  Layer,
  Notice,
  Plan,
  PushOptions,
  ServiceInfo,
  ServiceSpec,
  TcpCheck,
} from './types.js';
