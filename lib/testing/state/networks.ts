// What `network-get` answers, by binding: the declared shape, and the model's record of it.

import { isPlainObject } from '../../options.js';
import type { Address } from '../../hook-tools/index.js';
import type { NetworkRecord } from '../world.js';
import { keysIn, optional, strings } from './checks.js';

/**
 * What `network-get` answers for a binding (an endpoint or an extra binding), in the shape
 * `networkGet()` answers it; what is left out is empty.
 */
export interface SimulatedNetwork {
  /** The interfaces and their addresses. */
  bindAddresses?: SimulatedInterface[];
  /** The addresses to advertise. */
  ingressAddresses?: string[];
  /** The subnets traffic comes from. */
  egressSubnets?: string[];
}

/** An interface, in {@link SimulatedNetwork}. */
export interface SimulatedInterface {
  /** Its MAC address. */
  macAddress?: string;
  /** Its name, such as `'eth0'`. */
  interfaceName?: string;
  /** Its addresses: `value`, and the `hostname` and `cidr` where there are. */
  addresses?: Partial<Address>[];
}

/** @internal */
export function networkOk(v: unknown): boolean {
  if (!isPlainObject(v) || !keysIn(v, ['bindAddresses', 'ingressAddresses', 'egressSubnets'])) return false;
  const bind = v.bindAddresses;
  const addressOk = (a: unknown): boolean =>
    isPlainObject(a) &&
    keysIn(a, ['hostname', 'value', 'cidr']) &&
    typeof a.value === 'string' &&
    optional(a.hostname, (x) => typeof x === 'string') &&
    optional(a.cidr, (x) => typeof x === 'string');
  const bindOk = (b: unknown): boolean =>
    isPlainObject(b) &&
    keysIn(b, ['macAddress', 'interfaceName', 'addresses']) &&
    optional(b.macAddress, (x) => typeof x === 'string') &&
    optional(b.interfaceName, (x) => typeof x === 'string') &&
    optional(b.addresses, (x) => Array.isArray(x) && x.every(addressOk));
  return (
    optional(bind, (x) => Array.isArray(x) && x.every(bindOk)) &&
    optional(v.ingressAddresses, strings) &&
    optional(v.egressSubnets, strings)
  );
}

/** @internal */
export function recordOfNetwork(n: SimulatedNetwork): NetworkRecord {
  return {
    bindAddresses: (n.bindAddresses ?? []).map((b) => ({
      macAddress: b.macAddress ?? '',
      interfaceName: b.interfaceName ?? '',
      addresses: (b.addresses ?? []).map((a) => ({
        hostname: a.hostname ?? '',
        value: a.value ?? '',
        cidr: a.cidr ?? '',
      })),
    })),
    ingressAddresses: [...(n.ingressAddresses ?? [])],
    egressSubnets: [...(n.egressSubnets ?? [])],
  };
}
