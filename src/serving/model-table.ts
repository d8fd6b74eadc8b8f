import { WeftError } from '../core/errors.js';
import type { LoadedVersion } from './loaded-version.js';

/** How a model's requests are shared between its versions. */
export interface TrafficPolicy {
  /** Versions that answer, with relative weights (e.g. 90 and 10). */
  weights: Array<{ version: string; weight: number }>;
  /** Gets a copy of every request; its answers are recorded, never returned. */
  shadow?: string;
}

export interface ModelEntry {
  name: string;
  versions: ReadonlyMap<string, LoadedVersion>;
  traffic: TrafficPolicy;
}

export interface Route {
  primary: LoadedVersion;
  shadow: LoadedVersion | undefined;
}

/**
 * Which versions of which models are loaded, and how traffic is split: an immutable snapshot
 * replaced whole on every change, so a request routes against one consistent table even while
 * versions are loaded, swapped or unloaded.
 */
export class ModelTable {
  #models: ReadonlyMap<string, ModelEntry> = new Map();

  get models(): ReadonlyMap<string, ModelEntry> {
    return this.#models;
  }

  /**
   * The version that answers a request: `pinned` (a URL version or the debug header) if given,
   * else one drawn by weight. `random` in [0, 1).
   */
  route(name: string, pinned: string | undefined, random: number): Route {
    const entry = this.#models.get(name);
    if (!entry) throw notFound(`model "${name}" is not loaded`);
    const shadowName = entry.traffic.shadow;
    const shadow = shadowName === undefined ? undefined : entry.versions.get(shadowName);
    if (pinned !== undefined) {
      const primary = entry.versions.get(pinned);
      if (!primary) throw notFound(`model "${name}" has no version "${pinned}" loaded`);
      return { primary, shadow: shadow === primary ? undefined : shadow };
    }
    return { primary: pickByWeight(entry, random), shadow };
  }

  /** Adds (or replaces) a version; the model's traffic is unchanged unless it had none. Returns the replaced version, if any. */
  load(version: LoadedVersion): LoadedVersion | undefined {
    const { model, version: id } = version.info;
    const entry = this.#models.get(model);
    const previous = entry?.versions.get(id);
    const versions = new Map(entry?.versions ?? []).set(id, version);
    const traffic = entry?.traffic ?? { weights: [{ version: id, weight: 1 }] };
    this.#replace(model, { name: model, versions, traffic });
    return previous;
  }

  /** Removes a version that takes no traffic (or the last one); returns it to be retired. */
  unload(model: string, id: string): LoadedVersion {
    const entry = this.#models.get(model);
    const takesTraffic = entry?.traffic.weights.some((w) => w.version === id && w.weight > 0);
    if (entry && takesTraffic && entry.versions.size > 1) {
      throw new WeftError(
        'USAGE',
        `version ${id} of model "${model}" still takes traffic; move it first`,
      );
    }
    return this.unloadAny(model, id);
  }

  /** Removes a version whatever traffic it takes; the others keep theirs. */
  unloadAny(model: string, id: string): LoadedVersion {
    const entry = this.#models.get(model);
    const version = entry?.versions.get(id);
    if (!entry || !version) throw notFound(`model "${model}" has no version "${id}" loaded`);
    const versions = new Map(entry.versions);
    versions.delete(id);
    if (versions.size === 0) this.#remove(model);
    else {
      const kept = entry.traffic.weights.filter((w) => w.version !== id);
      // A model left with no weighted version would have nowhere to send requests.
      const [first] = versions.keys();
      const weights = kept.some((w) => w.weight > 0)
        ? kept
        : [{ version: first as string, weight: 1 }];
      const shadow = entry.traffic.shadow === id ? undefined : entry.traffic.shadow;
      this.#replace(model, {
        ...entry,
        versions,
        traffic: { weights, ...(shadow ? { shadow } : {}) },
      });
    }
    return version;
  }

  /** Sets a model's split atomically; every version named must be loaded. */
  setTraffic(model: string, traffic: TrafficPolicy): void {
    const entry = this.#models.get(model);
    if (!entry) throw notFound(`model "${model}" is not loaded`);
    const named = [
      ...traffic.weights.map((w) => w.version),
      ...(traffic.shadow ? [traffic.shadow] : []),
    ];
    for (const id of named) {
      if (!entry.versions.has(id)) throw notFound(`model "${model}" has no version "${id}" loaded`);
    }
    if (
      !traffic.weights.some((w) => w.weight > 0) ||
      traffic.weights.some((w) => !(w.weight >= 0))
    ) {
      throw new WeftError(
        'USAGE',
        `traffic of model "${model}" needs weights >= 0, at least one above 0`,
      );
    }
    this.#replace(model, { ...entry, traffic: structuredClone(traffic) });
  }

  #replace(model: string, entry: ModelEntry): void {
    this.#models = new Map(this.#models).set(model, entry);
  }

  #remove(model: string): void {
    const models = new Map(this.#models);
    models.delete(model);
    this.#models = models;
  }
}

function pickByWeight(entry: ModelEntry, random: number): LoadedVersion {
  const total = entry.traffic.weights.reduce((sum, w) => sum + w.weight, 0);
  let point = random * total;
  for (const { version, weight } of entry.traffic.weights) {
    point -= weight;
    if (point < 0 && weight > 0) return entry.versions.get(version) as LoadedVersion;
  }
  const last = entry.traffic.weights.findLast((w) => w.weight > 0);
  return entry.versions.get(last?.version ?? '') as LoadedVersion;
}

function notFound(message: string): WeftError {
  return new WeftError('NOT_FOUND', message);
}
