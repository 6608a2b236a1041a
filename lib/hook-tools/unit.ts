// application-version-set, goal-state, credential-get, resource-get, juju-reboot and
// network-get: what the unit reports and reads of its surroundings.

import type { HookToolOptions } from '../index.js';
import { charmEnv } from '../hook.js';
import { UNIT } from '../juju/names.js';
import { json, relationId, run, text } from './call.js';
import type { RelationId } from './relations.js';

/**
 * Tells Juju the version of the workload the unit runs (`application-version-set`), shown by
 * `juju status`. Juju takes it at once, whether or not the hook succeeds.
 *
 * @example
 * ```ts
 * await applicationVersionSet('2.4.1');
 * ```
 */
export async function applicationVersionSet(version: string, options?: HookToolOptions): Promise<void> {
  await run('application-version-set', ['--', text(version, 'applicationVersionSet() version')], options);
}

/** A unit's or application's goal, in {@link GoalState}. */
export interface Goal {
  /** `'active'`, `'waiting'`, `'dying'` for units; `'joined'`, `'dying'` for related applications. */
  status: string;
  /** Since when, as Juju prints it (`2026-12-02 06:21:32Z`). */
  since?: string;
}

/** What `goal-state` answers: the application's units and, by endpoint, who is related. */
export interface GoalState {
  /** The application's units, by name, this one included. */
  units: Record<string, Goal>;
  /** By endpoint: the related applications and their units, by name. */
  relations: Record<string, Record<string, Goal>>;
}

/**
 * The units Juju means the application to have, and the applications and units it means to
 * be related on each endpoint (`goal-state`).
 *
 * @example
 * ```ts
 * const { units } = await goalState();
 * const expected = Object.keys(units).length;
 * ```
 */
export async function goalState(options?: HookToolOptions): Promise<GoalState> {
  const raw = ((await json('goal-state', [], options)) ?? {}) as Partial<GoalState>;
  return { units: raw.units ?? {}, relations: raw.relations ?? {} };
}

/** The cloud the model is on, as `credential-get` describes it. */
export interface CloudSpec {
  /** The cloud's kind, such as `'lxd'`, `'openstack'`, `'aws'`. */
  type: string;
  /** The cloud's name in Juju. */
  name: string;
  /** The model's region. */
  region?: string;
  /** The cloud's API endpoint. */
  endpoint?: string;
  /** Its identity (authentication) endpoint. */
  identityEndpoint?: string;
  /** Its storage endpoint. */
  storageEndpoint?: string;
  /** The model's credential. */
  credential?: CloudCredential;
  /** CA certificates to trust for the endpoints (PEM). */
  caCertificates?: string[];
  /** Whether the endpoints' TLS certificates go unchecked. */
  skipTlsVerify?: boolean;
  /** Whether this is the cloud the controller runs on. */
  isControllerCloud?: boolean;
}

/** A cloud credential, in {@link CloudSpec}. */
export interface CloudCredential {
  /** How it authenticates, such as `'userpass'`, `'certificate'`, `'access-key'`. */
  authType: string;
  /** Its attributes, such as `{ username, password }`. */
  attributes: Record<string, string>;
  /** The attributes Juju redacted. */
  redacted?: string[];
}

/**
 * The model's cloud and its credential (`credential-get`), for an application the operator
 * trusted (`juju trust`); otherwise Juju refuses (a HookToolError).
 *
 * @example
 * ```ts
 * const cloud = await credentialGet();
 * const token = cloud.credential?.attributes.token;
 * ```
 */
export async function credentialGet(options?: HookToolOptions): Promise<CloudSpec> {
  const raw = ((await json('credential-get', [], options)) ?? {}) as Record<string, unknown>;
  const credential = raw.credential as
    { 'auth-type': string; attrs?: Record<string, string>; redacted?: string[] } | undefined | null;
  const string = (key: string): Record<string, string> =>
    typeof raw[key] === 'string' && raw[key] !== '' ? { [key]: raw[key] } : {};
  const camel = (from: string, to: string): Record<string, unknown> =>
    raw[from] === undefined || raw[from] === null || raw[from] === '' ? {} : { [to]: raw[from] };
  return {
    type: String(raw.type),
    name: String(raw.name),
    ...string('region'),
    ...string('endpoint'),
    ...camel('identity-endpoint', 'identityEndpoint'),
    ...camel('storage-endpoint', 'storageEndpoint'),
    ...(credential === undefined || credential === null
      ? {}
      : {
          credential: {
            authType: credential['auth-type'],
            attributes: credential.attrs ?? {},
            ...(credential.redacted === undefined ? {} : { redacted: credential.redacted }),
          },
        }),
    ...camel('cacertificates', 'caCertificates'),
    ...camel('skip-tls-verify', 'skipTlsVerify'),
    ...camel('is-controller-cloud', 'isControllerCloud'),
  };
}

/**
 * The path of a resource's file on this unit (`resource-get`), fetched from the controller
 * if need be.
 *
 * @example
 * ```ts
 * const archive = await resourceGet('webapp-bundle');
 * ```
 */
export async function resourceGet(name: string, options?: HookToolOptions): Promise<string> {
  return run('resource-get', ['--', text(name, 'resourceGet() name')], options);
}

/** Options of {@link jujuReboot}. */
export interface JujuRebootOptions extends HookToolOptions {
  /** Reboot now: Juju stops the hook, which runs again after the reboot (`--now`). */
  now?: boolean;
}

/**
 * Asks Juju to reboot the machine (`juju-reboot`): once the hook has succeeded, or with
 * `{ now: true }` at once (Juju stops the hook and runs it again after the reboot). Not in an
 * action.
 *
 * @example
 * ```ts
 * await jujuReboot();
 * ```
 */
export async function jujuReboot(options: JujuRebootOptions = {}): Promise<void> {
  const { now = false, ...tool } = options;
  await run('juju-reboot', now ? ['--now'] : [], tool);
}

/** An address of an interface, in {@link Network}. */
export interface Address {
  /** The address's host name, where it has one (else `''`). */
  hostname: string;
  /** The address, such as `'10.0.0.10'`. */
  value: string;
  /** Its subnet, such as `'10.0.0.0/24'` (else `''`). */
  cidr: string;
}

/** An interface and its addresses, in {@link Network}. */
export interface BindAddress {
  /** The interface's MAC address. */
  macAddress: string;
  /** The interface's name, such as `'eth0'`. */
  interfaceName: string;
  /** Its addresses. */
  addresses: Address[];
}

/** What `network-get` answers for a binding. */
export interface Network {
  /** The interfaces and their addresses the unit should listen on. */
  bindAddresses?: BindAddress[];
  /** The addresses to advertise for incoming connections. */
  ingressAddresses?: string[];
  /** The subnets (CIDR) that traffic from the unit comes from. */
  egressSubnets?: string[];
}

/** Options of {@link networkGet}. */
export interface NetworkGetOptions extends HookToolOptions {
  /** The relation to answer for (`-r`): `'database:7'` or `7`. */
  relationId?: RelationId;
}

/**
 * The network of a binding, an endpoint or extra binding (`network-get`): where to listen,
 * what to advertise, where traffic comes from.
 *
 * @example
 * ```ts
 * const { ingressAddresses = [] } = await networkGet('website');
 * ```
 */
export async function networkGet(binding: string, options: NetworkGetOptions = {}): Promise<Network> {
  const { relationId: id, ...tool } = options;
  const args = [
    ...(id === undefined ? [] : ['-r', relationId(id, 'networkGet()')]),
    '--',
    text(binding, 'networkGet() binding'),
  ];
  const raw = ((await json('network-get', args, tool)) ?? {}) as Record<string, unknown>;
  const bind = raw['bind-addresses'] as
    { 'mac-address'?: string; 'interface-name'?: string; addresses?: Partial<Address>[] }[] | undefined;
  return {
    ...(bind === undefined
      ? {}
      : {
          bindAddresses: bind.map((b) => ({
            macAddress: b['mac-address'] ?? '',
            interfaceName: b['interface-name'] ?? '',
            addresses: (b.addresses ?? []).map((a) => ({
              hostname: a.hostname ?? '',
              value: a.value ?? '',
              cidr: a.cidr ?? '',
            })),
          })),
        }),
    ...(raw['ingress-addresses'] === undefined
      ? {}
      : { ingressAddresses: raw['ingress-addresses'] as string[] }),
    ...(raw['egress-subnets'] === undefined ? {} : { egressSubnets: raw['egress-subnets'] as string[] }),
  };
}

/**
 * This unit's application, such as `webapp` for `webapp/0`: what Juju names it by
 * (`JUJU_UNIT_NAME`), read from the hook's environment, no tool run. It is the name the
 * application was deployed as, not the charm's.
 *
 * @example
 * ```ts
 * import { applicationName } from 'charms-contextual-status/hook-tools';
 * const app = applicationName(); // 'webapp'
 * ```
 * @throws TypeError outside a hook, where Juju set no unit name.
 */
export function applicationName(
  options: { env?: Readonly<Record<string, string | undefined>> } = {},
): string {
  const unit = (options.env ?? charmEnv()).JUJU_UNIT_NAME;
  if (unit === undefined || !UNIT.test(unit)) {
    throw new TypeError(
      `applicationName() reads JUJU_UNIT_NAME, which Juju sets in every hook, got ${unit === undefined ? 'none: is this running inside a Juju hook?' : JSON.stringify(unit)}`,
    );
  }
  return unit.slice(0, unit.indexOf('/'));
}
