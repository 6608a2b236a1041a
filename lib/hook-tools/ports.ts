// open-port, close-port and opened-ports.

import type { HookToolOptions } from '../index.js';
import { describeValue } from '../describe.js';
import { json, run, text } from './call.js';

/** A port or range of ports, as Juju opens them. */
export interface Port {
  /** `'tcp'` (the default), `'udp'`, or `'icmp'` (which has no port). */
  protocol?: 'tcp' | 'udp' | 'icmp';
  /** The port, or the first of a range: 0 to 65535. */
  port?: number;
  /** The last port of a range, no lower than `port`. */
  toPort?: number;
  /**
   * The endpoints it is for (`--endpoints`); left out, all of them. In {@link openedPorts}
   * with `{ endpoints: true }`, the endpoints it is open for (`['*']`: all).
   */
  endpoints?: string[];
}

const PROTOCOLS = ['tcp', 'udp', 'icmp'];
const ENDPOINT = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;

/** `<port>[/<protocol>]`, `<from>-<to>[/<protocol>]` or `icmp`, refusing what Juju refuses. */
function portArgs(port: unknown, where: string): string[] {
  const accepted = `${where} takes a port such as { port: 8080 }, { protocol: 'udp', port: 53 }, { port: 8000, toPort: 8080 } or { protocol: 'icmp' }`;
  if (typeof port !== 'object' || port === null || Array.isArray(port)) {
    throw new TypeError(`${accepted}, got ${describeValue(port)}`);
  }
  const { protocol = 'tcp', port: from, toPort, endpoints, ...extra } = port as Record<string, unknown>;
  if (Object.keys(extra).length > 0)
    throw new TypeError(`${accepted}, got one with ${Object.keys(extra).join(', ')}`);
  if (typeof protocol !== 'string' || !PROTOCOLS.includes(protocol)) {
    throw new TypeError(
      `${where} protocol must be 'tcp', 'udp' or 'icmp' (as Juju knows them), got ${describeValue(protocol)}`,
    );
  }
  const bound = (value: unknown, name: string): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
      throw new TypeError(
        `${where} ${name} must be a whole number from 0 to 65535, got ${describeValue(value)}`,
      );
    }
    return value;
  };
  let range: string;
  if (protocol === 'icmp') {
    if (from !== undefined || toPort !== undefined)
      throw new TypeError(`${where}: icmp has no ports, got ${describeValue(port)}`);
    range = 'icmp';
  } else {
    if (from === undefined) throw new TypeError(`${where} ${protocol} takes a port (port: 0 to 65535)`);
    const first = bound(from, 'port');
    const last = toPort === undefined ? first : bound(toPort, 'toPort');
    if (last < first)
      throw new TypeError(`${where} toPort (${String(last)}) must not be lower than port (${String(first)})`);
    range = `${first === last ? String(first) : `${String(first)}-${String(last)}`}/${protocol}`;
  }
  const args: string[] = [];
  if (endpoints !== undefined) {
    if (
      !Array.isArray(endpoints) ||
      endpoints.length === 0 ||
      !endpoints.every((e) => typeof e === 'string' && ENDPOINT.test(e))
    ) {
      throw new TypeError(
        `${where} endpoints must be a non-empty array of endpoint names such as ['website'], got ${describeValue(endpoints)}`,
      );
    }
    args.push('--endpoints', endpoints.join(','));
  }
  return [...args, range];
}

/**
 * Opens a port or range of ports (`open-port`), for every endpoint or those named. Juju
 * applies it when the hook succeeds.
 *
 * @example
 * ```ts
 * await openPort({ port: 8080 });
 * await openPort({ protocol: 'udp', port: 5000, toPort: 5010, endpoints: ['metrics'] });
 * ```
 */
export async function openPort(port: Port, options?: HookToolOptions): Promise<void> {
  await run('open-port', portArgs(port, 'openPort()'), options);
}

/**
 * Closes a port or range of ports (`close-port`) that `openPort` opened, for every endpoint or
 * those named; closing one that is not open does nothing.
 *
 * @example
 * ```ts
 * await closePort({ port: 8080 });
 * ```
 */
export async function closePort(port: Port, options?: HookToolOptions): Promise<void> {
  await run('close-port', portArgs(port, 'closePort()'), options);
}

/** Options of {@link openedPorts}. */
export interface OpenedPortsOptions extends HookToolOptions {
  /** Also say which endpoints each range is open for (`--endpoints`). */
  endpoints?: boolean;
}

/**
 * The ports the unit has open (`opened-ports`), this hook's changes included, sorted by
 * protocol then port.
 *
 * @example
 * ```ts
 * const ports = await openedPorts(); // [{ protocol: 'tcp', port: 8080 }]
 * ```
 */
export async function openedPorts(options: OpenedPortsOptions = {}): Promise<Port[]> {
  const { endpoints = false, ...tool } = options;
  const lines = ((await json('opened-ports', endpoints ? ['--endpoints'] : [], tool)) ?? []) as string[];
  return lines.map((line) => {
    // "8000-8080/tcp (website, metrics)", "icmp (*)", "53/udp".
    const match = /^(?:(\d+)(?:-(\d+))?\/([a-z]+)|icmp)(?: \((.*)\))?$/.exec(text(line, 'opened-ports line'));
    if (match === null)
      throw new Error(`opened-ports printed a line Juju does not print: ${JSON.stringify(line)}`);
    const [, from, to, protocol = 'icmp', on] = match;
    return {
      protocol: protocol as 'tcp' | 'udp' | 'icmp',
      ...(from === undefined ? {} : { port: Number(from) }),
      ...(to === undefined ? {} : { toPort: Number(to) }),
      ...(on === undefined ? {} : { endpoints: on.split(', ') }),
    };
  });
}

/**
 * Makes the unit's open ports exactly `wanted` (as ops' `set_ports`): closes each open range not
 * wanted, then opens each wanted one not open, in one call. Ranges are compared by protocol and
 * ports; endpoints are not part of the comparison (a wanted port open on some endpoints only is
 * left as it is).
 *
 * @example
 * ```ts
 * import { setPorts } from 'charms-contextual-status/hook-tools';
 * await setPorts([{ port: 8080 }, { protocol: 'udp', port: 53 }]);
 * ```
 * @throws TypeError (as a rejection) for a port of the wrong shape, before any tool runs.
 */
export async function setPorts(wanted: readonly Port[], options?: HookToolOptions): Promise<void> {
  if (!Array.isArray(wanted)) {
    throw new TypeError(
      `setPorts() takes an array of ports such as [{ port: 8080 }], got ${describeValue(wanted)}`,
    );
  }
  const key = (port: Port): string => portArgs({ ...port, endpoints: undefined }, 'setPorts()').join(' ');
  const want = new Map<string, Port>(wanted.map((port: Port) => [key(port), port]));
  const open = new Map<string, Port>((await openedPorts(options)).map((port) => [key(port), port]));
  for (const [range, port] of open) if (!want.has(range)) await closePort(port, options);
  for (const [range, port] of want) if (!open.has(range)) await openPort(port, options);
}
