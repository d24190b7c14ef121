/** `env diff` by service: each platform against its own contract and, with --against, a file; keys compared by hash. */
import type { ContractEntry } from './contract.js';
import { hashValue } from './reuse.js';
import type { EnvValue, LoadedSource, ServiceValues } from './sources.js';

export interface ServiceDiff {
  service: string;
  /** The provider type, e.g. `render`. */
  platform: string;
  /** Set on the platform but in none of this service's contract. */
  extra: string[];
  /** Set on the platform but write-only there, so compared by presence only. */
  unreadable: string[];
  changed: string[];
  onlyInSource: string[];
  onlyInAgainst: string[];
}

/** Variables the platform sets on every service by itself; they are nobody's contract. */
const platformProvided = (platform: string, key: string) =>
  platform === 'railway' && key.startsWith('RAILWAY_');

export function diffServices(
  byService: Map<string, ServiceValues>,
  contract: ContractEntry[],
  against: LoadedSource | undefined,
): ServiceDiff[] {
  return [...byService].map(([service, { platform, values }]) => {
    const contractKeys = new Set(contract.filter((e) => e.service === service).map((e) => e.key));
    const platformKeys = new Set([...values.keys()].filter((k) => !platformProvided(platform, k)));
    const diff: ServiceDiff = {
      service,
      platform,
      extra: [...platformKeys].filter((k) => !contractKeys.has(k)).sort(),
      unreadable: [...platformKeys].filter((k) => values.get(k)?.unreadable).sort(),
      changed: [],
      onlyInSource: [],
      onlyInAgainst: [],
    };
    if (!against) return diff;
    // One file usually holds every service's values: this service answers only for its contract and its platform's keys.
    const relevant = new Set([...contractKeys, ...platformKeys]);
    const otherKeys = new Set([...against.values.keys()].filter((k) => relevant.has(k)));
    return { ...diff, ...compareKeys(values, platformKeys, against.values, otherKeys) };
  });
}

/** Keys on each side, compared by hash; values the platform never returns are compared by presence only. */
export function compareKeys(
  a: Map<string, EnvValue>,
  left: Set<string>,
  b: Map<string, EnvValue>,
  right: Set<string>,
) {
  const hash = (v: EnvValue | undefined) => (v ? hashValue(v.value) : '');
  const comparable = (k: string) => !a.get(k)?.unreadable && !b.get(k)?.unreadable;
  return {
    changed: [...left]
      .filter((k) => right.has(k) && comparable(k) && hash(a.get(k)) !== hash(b.get(k)))
      .sort(),
    onlyInSource: [...left].filter((k) => !right.has(k)).sort(),
    onlyInAgainst: [...right].filter((k) => !left.has(k)).sort(),
  };
}
