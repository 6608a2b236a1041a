// The cloud `credential-get` answers: the declared shape (the camelCase of `credentialGet()`)
// and Juju's JSON of it (params.CloudSpec). Left out, the application is not trusted.

import { isPlainObject, rule } from '../../options.js';
import type { CloudSpec } from '../../hook-tools/index.js';
import { keysIn, optional, stringMap, strings } from './checks.js';

/** The cloud `credential-get` describes, as `credentialGet()` answers it. */
export type SimulatedCredential = CloudSpec;

const credentialOk = (v: unknown): boolean =>
  isPlainObject(v) &&
  keysIn(v, [
    'type',
    'name',
    'region',
    'endpoint',
    'identityEndpoint',
    'storageEndpoint',
    'credential',
    'caCertificates',
    'skipTlsVerify',
    'isControllerCloud',
  ]) &&
  typeof v.type === 'string' &&
  typeof v.name === 'string' &&
  ['region', 'endpoint', 'identityEndpoint', 'storageEndpoint'].every((k) =>
    optional(v[k], (x) => typeof x === 'string'),
  ) &&
  optional(
    v.credential,
    (c) =>
      isPlainObject(c) &&
      keysIn(c, ['authType', 'attributes', 'redacted']) &&
      typeof c.authType === 'string' &&
      stringMap(c.attributes) &&
      optional(c.redacted, strings),
  ) &&
  optional(v.caCertificates, strings) &&
  optional(v.skipTlsVerify, (x) => typeof x === 'boolean') &&
  optional(v.isControllerCloud, (x) => typeof x === 'boolean');

/** @internal */
export const CREDENTIAL = rule<SimulatedCredential>(
  'a cloud such as { type: "lxd", name: "localhost", credential: { authType: "certificate", attributes: {} } }',
  credentialOk,
);

/** Juju's JSON of a cloud spec (params.CloudSpec), from its camelCase form. */
/** @internal */
export function cloudSpec(c: SimulatedCredential): Record<string, unknown> {
  return {
    type: c.type,
    name: c.name,
    ...(c.region === undefined ? {} : { region: c.region }),
    ...(c.endpoint === undefined ? {} : { endpoint: c.endpoint }),
    ...(c.identityEndpoint === undefined ? {} : { 'identity-endpoint': c.identityEndpoint }),
    ...(c.storageEndpoint === undefined ? {} : { 'storage-endpoint': c.storageEndpoint }),
    ...(c.credential === undefined
      ? {}
      : {
          credential: {
            'auth-type': c.credential.authType,
            attrs: { ...c.credential.attributes },
            ...(c.credential.redacted === undefined ? {} : { redacted: [...c.credential.redacted] }),
          },
        }),
    ...(c.caCertificates === undefined ? {} : { cacertificates: [...c.caCertificates] }),
    ...(c.skipTlsVerify === undefined ? {} : { 'skip-tls-verify': c.skipTlsVerify }),
    ...(c.isControllerCloud === undefined ? {} : { 'is-controller-cloud': c.isControllerCloud }),
  };
}
