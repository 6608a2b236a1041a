// What the unit reports and reads of its surroundings: application-version-set, goal-state,
// credential-get, resource-get, juju-reboot and network-get, after juju/juju
// internal/worker/uniter/runner/jujuc/application-version-set.go, goal-state.go,
// credential-get.go, resource-get.go, reboot.go and network-get.go.

import { formatOf, render, struct } from './format.js';
import { type Tool, ToolExit, checkEmpty } from './tool.js';
import { relationOf } from './relations.js';
import { type NetworkRecord, applicationName, defaultNetwork } from '../world.js';

/** network-get's output, as `resultToDisplay` names the fields. */
function display(network: NetworkRecord): Record<string, unknown> {
  const out: Record<string, unknown> = struct({});
  // omitempty: an empty list is left out.
  if (network.bindAddresses.length > 0) {
    // Each with the copies its YAML keeps for older agents (macaddress, interfacename, an
    // address's address), which its JSON leaves out.
    out['bind-addresses'] = network.bindAddresses.map((b) =>
      struct(
        {
          'mac-address': b.macAddress,
          'interface-name': b.interfaceName,
          addresses: b.addresses.map((a) =>
            struct({ hostname: a.hostname, value: a.value, cidr: a.cidr, address: a.value }, ['address']),
          ),
          macaddress: b.macAddress,
          interfacename: b.interfaceName,
        },
        ['macaddress', 'interfacename'],
      ),
    );
  }
  if (network.egressSubnets.length > 0) out['egress-subnets'] = [...network.egressSubnets];
  if (network.ingressAddresses.length > 0) out['ingress-addresses'] = [...network.ingressAddresses];
  return out;
}

/** A cloud spec as params.CloudSpec prints it: a struct, and its credential a struct. */
function cloudSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const credential = spec.credential;
  return struct({
    ...spec,
    ...(credential !== null && typeof credential === 'object'
      ? { credential: struct({ ...credential }) }
      : {}),
  });
}

/** @internal */
export const UNIT_TOOLS = {
  'application-version-set': {
    usage: 'application-version-set [options] <new-version>',
    purpose: 'specify which version of the application is deployed',
    flags: {},
    run({ parsed, world }) {
      const [version, ...extra] = parsed.args;
      if (version === undefined) throw new ToolExit(2, 'no version specified');
      checkEmpty(extra);
      // SetUnitWorkloadVersion is an API call made at once, not a change the hook commits.
      world.workloadVersion = version;
      return {};
    },
  },

  'goal-state': {
    usage: 'goal-state [options]',
    purpose: "print the status of the charm's peers and related units",
    format: 'yaml',
    flags: {},
    run({ parsed, world }) {
      const format = formatOf(parsed, 'yaml');
      checkEmpty(parsed.args);
      // The application's units and, by endpoint, the related applications ("joined") and
      // their units, as the simulator's world holds them: every unit "active".
      const since = world.since;
      const units: Record<string, { status: string; since: string }> = {
        [world.unitName]: { status: 'active', since },
      };
      const relations: Record<string, Record<string, { status: string; since: string }>> = {};
      for (const relation of world.relations) {
        const peers = relation.remoteApp === applicationName(world);
        const entry = (relations[relation.endpoint] ??= {});
        if (!peers) entry[relation.remoteApp] = { status: 'joined', since };
        for (const unit of Object.keys(relation.remoteUnits)) {
          entry[unit] = { status: 'active', since };
          if (peers) units[unit] = { status: 'active', since };
        }
      }
      return { stdout: render(struct({ units, relations }), format) };
    },
  },

  'credential-get': {
    usage: 'credential-get [options]',
    purpose: 'access cloud credentials',
    format: true,
    flags: {},
    run({ parsed, world }) {
      const format = formatOf(parsed);
      checkEmpty(parsed.args);
      // CloudSpec is refused to an application that is not trusted (`juju trust`).
      if (world.credential === null) {
        throw new ToolExit(1, 'cannot access cloud credentials: permission denied');
      }
      return { stdout: render(cloudSpec(world.credential), format) };
    },
  },

  'resource-get': {
    usage: 'resource-get [options] <resource name>',
    purpose: 'Get the path to the locally cached resource file.',
    flags: {},
    run({ parsed, world }) {
      const [name, ...extra] = parsed.args;
      if (name === undefined) throw new ToolExit(2, 'missing required resource name');
      checkEmpty(extra);
      const path = Object.hasOwn(world.resources, name) ? world.resources[name] : undefined;
      if (path === undefined) {
        throw new ToolExit(1, `could not download resource: resource "${name}" not found`);
      }
      // Printed with no line end (`Fprintf(ctx.Stdout, "%s", filePath)`).
      return { stdout: path };
    },
  },

  'juju-reboot': {
    usage: 'juju-reboot [options]',
    purpose: 'Reboot the host machine.',
    flags: { now: { type: 'boolean', usage: 'reboot immediately, killing the invoking process' } },
    run({ parsed, env, hook }) {
      checkEmpty(parsed.args);
      if (env.JUJU_ACTION_NAME) throw new ToolExit(1, 'juju-reboot is not supported when running an action.');
      const now = parsed.flags.now === true;
      // RebootAfterHook: the machine reboots once the hook has succeeded (handleReboot);
      // RebootNow: Juju kills the hook, which runs again from the start after the reboot.
      hook.reboot = now ? 'now' : (hook.reboot ?? 'after-hook');
      // Killed at once: the hook's code after this call never runs.
      if (now) {
        hook.kill?.(
          'juju-reboot --now: Juju stopped the hook to reboot the machine; it runs the hook again after the reboot',
        );
      }
      return {};
    },
  },

  'network-get': {
    usage: 'network-get [options] <binding-name> [--ingress-address] [--bind-address] [--egress-subnets]',
    purpose: 'get network config',
    format: true,
    flags: {
      'primary-address': { type: 'boolean', usage: '(deprecated) get the primary address for the binding' },
      'bind-address': {
        type: 'boolean',
        usage: 'get the address for the binding on which the unit should listen',
      },
      'ingress-address': { type: 'boolean', usage: 'get the ingress address for the binding' },
      'egress-subnets': { type: 'boolean', usage: 'get the egress subnets for the binding' },
      relation: { type: 'string', short: 'r', usage: 'specify a relation by id' },
    },
    run(call) {
      const { parsed, world } = call;
      const format = formatOf(parsed);
      const [binding, ...extra] = parsed.args;
      if (binding === undefined) throw new ToolExit(2, 'no arguments specified');
      if (binding === '') throw new ToolExit(2, 'no binding name specified');
      checkEmpty(extra);
      if (typeof parsed.flags.relation === 'string') relationOf(call);
      const network = Object.hasOwn(world.networks, binding) ? world.networks[binding] : undefined;
      // A binding the charm does not declare (an endpoint or extra-binding) has no network.
      const declared = world.bindings === null || world.bindings.includes(binding);
      const known = network ?? (declared ? defaultNetwork() : undefined);
      if (known === undefined || known.bindAddresses.length === 0) {
        throw new ToolExit(1, `no network config found for binding "${binding}"`);
      }
      const keys = (['bind-address', 'ingress-address', 'egress-subnets'] as const).filter(
        (k) => parsed.flags[k] === true,
      );
      const first = known.bindAddresses[0]?.addresses[0]?.value;
      if (parsed.flags['primary-address'] === true) {
        if (keys.length > 0) throw new ToolExit(1, '--primary-address must be the only flag specified');
        if (first === undefined)
          throw new ToolExit(1, `no addresses attached to space for binding "${binding}"`);
        return { stdout: render(first, format) };
      }
      if (keys.length === 0) return { stdout: render(display(known), format) };
      // A Go map: printed with its keys sorted.
      const values: Record<string, unknown> = {};
      if (keys.includes('bind-address')) values['bind-address'] = first ?? '';
      if (keys.includes('egress-subnets')) values['egress-subnets'] = [...known.egressSubnets];
      if (keys.includes('ingress-address')) {
        const ingress = known.ingressAddresses[0] ?? first;
        if (ingress === undefined)
          throw new ToolExit(1, `no addresses attached to space for binding "${binding}"`);
        values['ingress-address'] = ingress;
      }
      const [only] = keys;
      return { stdout: render(keys.length === 1 && only !== undefined ? values[only] : values, format) };
    },
  },
} satisfies Record<string, Tool>;
