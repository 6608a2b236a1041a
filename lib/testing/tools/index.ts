// Every simulated hook tool, by family: the one table both ways of running a charm answer from.

import { ACTION_TOOLS } from './actions.js';
import { CONFIG_TOOLS } from './config.js';
import { LOG_TOOLS } from './log.js';
import { PORT_TOOLS } from './ports.js';
import { SECRET_TOOLS } from './secrets.js';
import { STORAGE_TOOLS } from './storage.js';
import { UNIT_TOOLS } from './unit.js';
import { RELATION_TOOLS } from './relations.js';
import { STATE_TOOLS } from './state.js';
import { STATUS_TOOLS } from './status.js';
import type { Tool } from './tool.js';

/** The hook tools a simulator provides. */
export const SIMULATED_TOOLS = [
  'status-set',
  'status-get',
  'juju-log',
  'is-leader',
  'config-get',
  'relation-ids',
  'relation-list',
  'relation-get',
  'relation-set',
  'relation-model-get',
  'state-get',
  'state-set',
  'state-delete',
  'action-get',
  'action-set',
  'action-log',
  'action-fail',
  'open-port',
  'close-port',
  'opened-ports',
  'application-version-set',
  'network-get',
  'goal-state',
  'credential-get',
  'resource-get',
  'juju-reboot',
  'secret-add',
  'secret-get',
  'secret-set',
  'secret-remove',
  'secret-grant',
  'secret-revoke',
  'secret-ids',
  'secret-info-get',
  'storage-get',
  'storage-list',
  'storage-add',
] as const;

/** A hook tool the simulator provides. */
export type SimulatedTool = (typeof SIMULATED_TOOLS)[number];

const ALL = {
  ...STATUS_TOOLS,
  ...LOG_TOOLS,
  ...CONFIG_TOOLS,
  ...RELATION_TOOLS,
  ...STATE_TOOLS,
  ...ACTION_TOOLS,
  ...PORT_TOOLS,
  ...UNIT_TOOLS,
  ...SECRET_TOOLS,
  ...STORAGE_TOOLS,
};

/**
 * The simulated tools, by name: tsc refuses a tool listed in {@link SIMULATED_TOOLS} and
 * missing from the families, or one of theirs that is not listed.
 *
 * @internal
 */
export const TOOLS: Readonly<Record<SimulatedTool, Tool>> = ALL satisfies Record<
  Extract<keyof typeof ALL, SimulatedTool>,
  Tool
> &
  Record<Exclude<keyof typeof ALL, SimulatedTool>, never>;
