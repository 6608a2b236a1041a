// open-port, close-port and opened-ports, after juju/juju
// internal/worker/uniter/runner/jujuc/ports.go and opened-ports.go, the port ranges of
// core/network/portrange.go (ParsePortRange, Validate, String, SortPortRanges), and the hook's
// pending changes of internal/worker/uniter/runner/context/ports.go (portRangeChangeRecorder).

import { formatOf, render } from './format.js';
import { type Flag, type Tool, ToolExit, checkEmpty } from './tool.js';
import type { PortRecord } from '../world.js';

const PORT_FLAGS: Readonly<Record<string, Flag>> = {
  format: { type: 'string', usage: 'deprecated format flag' },
  endpoints: {
    type: 'string',
    usage: 'a comma-delimited list of application endpoints to target with this operation',
  },
};

type Range = Omit<PortRecord, 'endpoint'>;

/**
 * A port range as `network.ParsePortRange` reads it (lower-cased first, as ports.go does):
 * `80`, `80/udp`, `8000-8080/tcp`, `icmp`; tcp by default. Init errors exit 2.
 *
 * @internal
 */
export function parsePortRange(given: string): Range {
  const text = given.toLowerCase();
  const slash = text.indexOf('/');
  let protocol = slash < 0 ? 'tcp' : text.slice(slash + 1);
  const ports = slash < 0 ? text : text.slice(0, slash);
  const parts = ports.split('-');
  if (parts.length > 2) throw new ToolExit(2, `invalid port range "${ports}"`);
  const number = (part: string, quoted: string): number => {
    // strconv.Atoi: an optional sign and decimal digits.
    if (!/^[+-]?\d+$/.test(part)) {
      throw new ToolExit(2, `invalid port "${quoted}": strconv.Atoi: parsing "${part}": invalid syntax`);
    }
    return Number(part);
  };
  let from: number;
  let to: number;
  if (parts.length === 1 && parts[0] === 'icmp') {
    from = -1;
    to = -1;
    protocol = 'icmp';
  } else if (parts.length === 1) {
    from = to = number(parts[0] ?? '', ports);
  } else {
    from = number(parts[0] ?? '', parts[0] ?? '');
    to = number(parts[1] ?? '', parts[1] ?? '');
  }
  const range = { protocol, from, to };
  // PortRange.Validate.
  if (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'icmp') {
    throw new ToolExit(2, `invalid protocol "${protocol}", expected "tcp", "udp", or "icmp"`);
  }
  if (protocol === 'icmp' && !(from === -1 && to === -1)) {
    throw new ToolExit(2, `protocol "icmp" doesn't support any ports; got "${String(from)}"`);
  }
  if (protocol !== 'icmp' && from > to) throw new ToolExit(2, `invalid port range ${rangeText(range)}`);
  if (protocol !== 'icmp' && (from < 0 || from > 65535 || to < 0 || to > 65535)) {
    throw new ToolExit(2, `port range bounds must be between 0 and 65535, got ${String(from)}-${String(to)}`);
  }
  return range;
}

/** `80/tcp`, `8000-8080/udp`, `icmp`: `PortRange.String`. */
function rangeText({ protocol, from, to }: Range): string {
  if (protocol === 'icmp') return 'icmp';
  return from === to ? `${String(from)}/${protocol}` : `${String(from)}-${String(to)}/${protocol}`;
}

const same = (a: Range, b: Range): boolean => a.protocol === b.protocol && a.from === b.from && a.to === b.to;
const conflicts = (a: Range, b: Range): boolean =>
  a.protocol === b.protocol && a.to >= b.from && b.to >= a.from;

/** The endpoints `--endpoints` names (split at commas, trimmed), or `''` for all of them. */
function endpointsOf(flags: Readonly<Record<string, string | boolean>>): string[] {
  const given = flags.endpoints;
  if (typeof given !== 'string' || given === '') return [''];
  return given.split(',').map((e) => e.trim());
}

/** ports.go `Init`: one port range and nothing else. */
function rangeOf(args: readonly string[]): Range {
  const [first, ...extra] = args;
  if (first === undefined) throw new ToolExit(2, 'no port or range specified');
  const range = parsePortRange(first);
  checkEmpty(extra);
  return range;
}

const deprecated = (tool: string, format: unknown): { stderr?: string } =>
  typeof format === 'string' && format !== ''
    ? { stderr: `--format flag deprecated for command "${tool}"` }
    : {};

/** @internal */
export const PORT_TOOLS = {
  'open-port': {
    usage: 'open-port [options] <port>[/<protocol>] or <from>-<to>[/<protocol>] or icmp',
    purpose: 'Register a request to open a port or port range.',
    flags: PORT_FLAGS,
    run({ parsed, world }) {
      const range = rangeOf(parsed.args);
      for (const endpoint of endpointsOf(parsed.flags)) {
        // OpenPortRange: the same range on the same endpoint is a no-op; one that overlaps
        // another range of this unit's is refused (exit 1), "requested earlier" when that one is
        // this hook's own (here both are the unit's: Juju's own answer for an open one).
        const clash = world.ports.find(
          (p) => conflicts(range, p) && !(same(range, p) && p.endpoint !== endpoint),
        );
        if (clash !== undefined && same(range, clash) && clash.endpoint === endpoint) continue;
        if (clash !== undefined) {
          throw new ToolExit(
            1,
            `cannot open ${rangeText(range)} (unit "${world.unitName}"): port range conflicts with ${rangeText(clash)} (unit "${world.unitName}")`,
          );
        }
        world.ports.push({ endpoint, ...range });
      }
      return deprecated('open-port', parsed.flags.format);
    },
  },

  'close-port': {
    usage: 'close-port [options] <port>[/<protocol>] or <from>-<to>[/<protocol>] or icmp',
    purpose: 'Register a request to close a port or port range.',
    flags: PORT_FLAGS,
    run({ parsed, world, hook }) {
      const range = rangeOf(parsed.args);
      for (const endpoint of endpointsOf(parsed.flags)) {
        // ClosePortRange: a range that overlaps one the unit had open when the hook began,
        // without being that range, is refused (checkForConflict against the machine's ranges);
        // closing a range that is not open is a no-op the controller filters out; only the
        // exact range on the same endpoint is closed.
        const clash = (hook.committedPorts ?? world.ports).find(
          (p) => conflicts(range, p) && !same(range, p),
        );
        if (clash !== undefined) {
          throw new ToolExit(
            1,
            `cannot close ${rangeText(range)} (unit "${world.unitName}"): port range conflicts with ${rangeText(clash)} (unit "${world.unitName}")`,
          );
        }
        world.ports = world.ports.filter((p) => !(same(range, p) && p.endpoint === endpoint));
      }
      return deprecated('close-port', parsed.flags.format);
    },
  },

  'opened-ports': {
    usage: 'opened-ports [options]',
    purpose: 'List all ports or port ranges opened by the unit.',
    format: true,
    flags: {
      endpoints: {
        type: 'boolean',
        usage: 'display the list of target application endpoints for each port range',
      },
    },
    run({ parsed, world }) {
      const format = formatOf(parsed);
      checkEmpty(parsed.args);
      // The unit's ranges with this hook's pending changes merged in (OpenedUnitPortRanges),
      // unique, sorted by protocol then ports (SortPortRanges).
      const unique: Range[] = [];
      for (const p of world.ports) if (!unique.some((u) => same(u, p))) unique.push(p);
      unique.sort((a, b) =>
        a.protocol !== b.protocol ? (a.protocol < b.protocol ? -1 : 1) : a.from - b.from || a.to - b.to,
      );
      const lines = unique.map((range) => {
        if (parsed.flags.endpoints !== true) return rangeText(range);
        const on = world.ports.filter((p) => same(p, range)).map((p) => p.endpoint);
        return `${rangeText(range)} (${on.includes('') ? '*' : [...new Set(on)].sort().join(', ')})`;
      });
      return { stdout: render(format === 'smart' ? lines.join('\n') : lines, format) };
    },
  },
} satisfies Record<string, Tool>;
