// Layers and the plan, as Pebble combines them (docs/reference/layer-specification.md; the
// rules of internals/plan: each service, check or log target of a layer says how it combines
// with one already in the plan, `override: replace` taking its place and `merge` laying its
// fields over it, lists appended and maps merged; a combined service must have a command).

import type { CheckSpec, Layer, Plan, ServiceSpec } from '../../pebble/types.js';
import type { ContainerRecord } from '../state/containers.js';

/** A refusal Pebble answers with an error status and message. @internal */
export class PebbleRefusal extends Error {
  readonly status: number;
  readonly kind: string | undefined;

  constructor(status: number, message: string, kind?: string) {
    super(message);
    this.status = status;
    this.kind = kind;
  }
}

const SECTIONS = [
  ['services', 'service'],
  ['checks', 'check'],
  ['log-targets', 'log target'],
] as const;

type Entry = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Lays `over` onto `base`: set values win, lists are appended, maps merged one level down. */
function merge(base: Entry, over: Entry): Entry {
  const out: Entry = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const was = out[key];
    if (Array.isArray(value))
      out[key] = [...(Array.isArray(was) ? (was as unknown[]) : []), ...(value as unknown[])];
    else if (isRecord(value)) out[key] = isRecord(was) ? merge(was, value) : { ...value };
    else if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/**
 * Refuses a layer Pebble refuses: an entry with no `override`, or one it does not know.
 *
 * @internal
 */
export function checkLayer(label: string, layer: Layer): void {
  for (const [section, what] of SECTIONS) {
    const entries = (layer as Record<string, unknown>)[section];
    if (entries === undefined || entries === null) continue;
    if (!isRecord(entries))
      throw new PebbleRefusal(400, `layer ${JSON.stringify(label)} ${section} must be a map`);
    for (const [name, entry] of Object.entries(entries)) {
      const override = isRecord(entry) ? entry.override : undefined;
      if (override === undefined || override === '') {
        throw new PebbleRefusal(
          400,
          `layer ${JSON.stringify(label)} must define "override" for ${what} ${JSON.stringify(name)}`,
        );
      }
      if (override !== 'merge' && override !== 'replace') {
        throw new PebbleRefusal(
          400,
          `layer ${JSON.stringify(label)} has invalid "override" value for ${what} ${JSON.stringify(name)}`,
        );
      }
    }
  }
}

/**
 * The plan: the layers combined in order.
 *
 * @throws PebbleRefusal for a combined service with no command.
 * @internal
 */
export function planOf(layers: readonly { label: string; layer: Layer }[]): Plan {
  const plan: Record<string, Record<string, Entry>> = { services: {}, checks: {}, 'log-targets': {} };
  for (const { layer } of layers) {
    for (const [section] of SECTIONS) {
      const entries = (layer as Record<string, unknown>)[section];
      if (!isRecord(entries)) continue;
      const into = plan[section] ?? {};
      for (const [name, entry] of Object.entries(entries)) {
        if (!isRecord(entry)) continue;
        const was = into[name];
        into[name] = entry.override === 'merge' && was !== undefined ? merge(was, entry) : { ...entry };
      }
    }
  }
  for (const [name, service] of Object.entries(plan.services ?? {})) {
    if (typeof service.command !== 'string' || service.command === '') {
      throw new PebbleRefusal(400, `plan must define "command" for service ${JSON.stringify(name)}`);
    }
  }
  return plan as unknown as Plan;
}

/**
 * Adds a layer as `POST /v1/layers` does: appended under a new label, or with `combine`
 * combined into the layer of that label; a label already there without `combine` is refused.
 *
 * @throws PebbleRefusal as Pebble refuses.
 * @internal
 */
export function addLayer(container: ContainerRecord, label: string, layer: Layer, combine: boolean): void {
  if (label === '') throw new PebbleRefusal(400, 'label must be set');
  checkLayer(label, layer);
  const at = container.layers.findIndex((l) => l.label === label);
  const layers = [...container.layers];
  if (at >= 0 && !combine) throw new PebbleRefusal(400, `layer ${JSON.stringify(label)} already exists`);
  if (at >= 0) {
    const was = layers[at];
    if (was !== undefined) {
      const combined = planOf([
        { label, layer: was.layer },
        { label, layer },
      ]) as unknown as Layer;
      layers[at] = { label, layer: { ...was.layer, ...layer, ...pick(combined) }, added: true };
    }
  } else {
    layers.push({ label, layer: structuredClone(layer), added: true });
  }
  planOf(layers); // a plan Pebble cannot run is refused, and nothing is added
  container.layers = layers;
}

function pick(plan: Layer): Layer {
  const out: Layer = {};
  for (const [section] of SECTIONS) {
    const entries = (plan as Record<string, unknown>)[section];
    if (isRecord(entries) && Object.keys(entries).length > 0)
      (out as Record<string, unknown>)[section] = entries;
  }
  return out;
}

/** The services of the plan by name, in name order. @internal */
export function servicesOf(container: ContainerRecord): [string, ServiceSpec][] {
  return Object.entries(planOf(container.layers).services).sort(([a], [b]) => (a < b ? -1 : 1));
}

/** The checks of the plan by name, in name order. @internal */
export function checksOf(container: ContainerRecord): [string, CheckSpec][] {
  return Object.entries(planOf(container.layers).checks).sort(([a], [b]) => (a < b ? -1 : 1));
}
