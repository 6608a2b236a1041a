// Ports the unit has open: their declared shape (what `create()` takes and `run.after` gives
// back), Juju's rules for a range (network.PortRange, via the open-port tool's parser), and the
// model's records of them, one per endpoint. A failed hook keeps none of its changes to them.

import { isPlainObject } from '../../options.js';
import { parsePortRange } from '../tools/ports.js';
import { ToolExit } from '../tools/tool.js';
import type { PortRecord, World } from '../world.js';
import { arrayOf, keysIn, optional, strings } from './checks.js';

/** A port range the unit has open, as `openedPorts()` answers it. */
export interface SimulatedPort {
  /** `'tcp'`, `'udp'` or `'icmp'`. */
  protocol: 'tcp' | 'udp' | 'icmp';
  /** The port, or the first of a range (none for icmp). */
  port?: number;
  /** The last port of a range. */
  toPort?: number;
  /** The endpoints it is open for (default: all of them). */
  endpoints?: string[];
}

function portOk(v: unknown): boolean {
  if (!isPlainObject(v) || !keysIn(v, ['protocol', 'port', 'toPort', 'endpoints'])) return false;
  if (!optional(v.endpoints, strings) || typeof v.protocol !== 'string') return false;
  if (!optional(v.port, (x) => Number.isInteger(x)) || !optional(v.toPort, (x) => Number.isInteger(x)))
    return false;
  if (v.toPort !== undefined && v.port === undefined) return false;
  try {
    recordOfPort(v as unknown as SimulatedPort);
    return true;
  } catch {
    return false;
  }
}

/** @internal */
export const PORTS = arrayOf<SimulatedPort>(
  'an array of port ranges such as { protocol: "tcp", port: 8080 } (ports 0 to 65535; icmp has none)',
  portOk,
);

/** A declared port as the model holds it, one record per endpoint. */
/** @internal */
export function recordOfPort(p: SimulatedPort): PortRecord[] {
  const text =
    p.protocol === 'icmp' && p.port === undefined
      ? 'icmp'
      : `${p.port === undefined ? '' : String(p.port)}${p.toPort === undefined ? '' : `-${String(p.toPort)}`}/${p.protocol}`;
  let range;
  try {
    range = parsePortRange(text);
  } catch (error) {
    throw new TypeError(`port ${text}: ${error instanceof ToolExit ? error.message : String(error)}`);
  }
  return (p.endpoints ?? ['']).map((endpoint) => ({ endpoint, ...range }));
}

/**
 * The unit's ports as `create()` takes them: one entry per range open for all endpoints, and one
 * per range listing the endpoints it is open for.
 *
 * @internal
 */
export function declaredPorts(world: World): SimulatedPort[] {
  const ports: SimulatedPort[] = [];
  const byRange = new Map<string, SimulatedPort>();
  for (const p of world.ports) {
    const range: SimulatedPort = {
      protocol: p.protocol as SimulatedPort['protocol'],
      ...(p.protocol === 'icmp' ? {} : { port: p.from }),
      ...(p.protocol === 'icmp' || p.from === p.to ? {} : { toPort: p.to }),
    };
    if (p.endpoint === '') {
      ports.push(range);
      continue;
    }
    const key = `${p.protocol}:${String(p.from)}:${String(p.to)}`;
    const entry = byRange.get(key);
    if (entry === undefined) {
      const added = { ...range, endpoints: [p.endpoint] };
      byRange.set(key, added);
      ports.push(added);
    } else {
      entry.endpoints?.push(p.endpoint);
    }
  }
  return ports;
}
