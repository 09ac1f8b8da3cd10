import { Cluster, INCOMPATIBLE, similarity } from './cluster.ts';
import { Masker } from './masking.ts';
import { TokenKind } from './tokens.ts';
import { RecencyList } from './recency.ts';
import { PrefixTree } from './tree.ts';
import type { PathKey } from './tree.ts';

export interface MinerOptions {
  /** Share of positions (0..1) where a line must fit a template to join it rather than start a new one. */
  similarityThreshold: number;
  /** How many leading tokens choose the leaf of the prefix tree (Drain's depth minus two). */
  prefixTokens: number;
  /** Most children of one tree node; further distinct leading tokens share the wildcard branch. */
  maxChildren: number;
  /** Most templates kept; beyond it the least recently seen one is forgotten. */
  maxTemplates: number;
  /** Tokens read from one message; the rest of a longer message becomes one truncation marker. */
  maxTokens: number;
  /** Characters in one token; a longer token is a value, whatever it looks like. */
  maxTokenLength: number;
}

export const DEFAULT_MINER_OPTIONS: Readonly<MinerOptions> = Object.freeze({
  similarityThreshold: 0.78,
  prefixTokens: 2,
  maxChildren: 100,
  maxTemplates: 50_000,
  maxTokens: 100,
  maxTokenLength: 128,
});

export interface MinedLine {
  templateId: number;
  template: string;
  /** The line started a new template. */
  isNew: boolean;
  /** The line made an existing template more general; the id stays the same. */
  changed: boolean;
}

export interface TemplateInfo {
  id: number;
  template: string;
  count: number;
  firstSeenUs: number;
  lastSeenUs: number;
}

export interface MinerStats {
  templates: number;
  /** Templates forgotten to stay within `maxTemplates`. */
  evictions: number;
  lines: number;
}

export interface ClusterSnapshot {
  id: number;
  tokens: string[];
  kinds: number[];
  path: PathKey[];
  count: number;
  firstSeenUs: number;
  lastSeenUs: number;
}

/** Everything a miner knows, as plain JSON; {@link TemplateMiner.restore} continues from it. */
export interface MinerSnapshot {
  version: 1;
  options: MinerOptions;
  nextId: number;
  evictions: number;
  lines: number;
  /**
   * By id, which is also the order of the clusters within each tree leaf (new ones are appended), the
   * order that decides between equally similar templates.
   */
  clusters: ClusterSnapshot[];
  /** Template ids from least to most recently seen, which decides what is evicted. */
  recency: number[];
}

/**
 * Online Drain. A message is tokenised and masked, the prefix tree offers the templates with the same
 * token count and leading tokens, and the line joins the one it fits best (generalising it where they
 * differ) or starts a new template. Ids count up from 1 and are never reused: an id always means the
 * same template, which keeps its id as it generalises, even after it has been evicted.
 */
export class TemplateMiner {
  readonly options: Readonly<MinerOptions>;
  readonly #tree: PrefixTree;
  readonly #masker = new Masker();
  readonly #byId = new Map<number, Cluster>();
  readonly #recency = new RecencyList<Cluster>();
  /** Tokens and their kinds of the line being mined, reused from line to line. */
  readonly #tokens: string[] = [];
  readonly #kinds: Uint8Array;
  #nextId = 1;
  #evictions = 0;
  #lines = 0;
  /** Templates evicted since {@link TemplateMiner.takeEvicted} was last called; null until asked for. */
  #evictedSinceTaken: (ClusterSnapshot & { template: string })[] | null = null;

  constructor(options: Partial<MinerOptions> = {}) {
    this.options = Object.freeze(validate({ ...DEFAULT_MINER_OPTIONS, ...options }));
    this.#tree = new PrefixTree(this.options.prefixTokens, this.options.maxChildren);
    this.#kinds = new Uint8Array(this.options.maxTokens);
  }

  get stats(): MinerStats {
    return { templates: this.#byId.size, evictions: this.#evictions, lines: this.#lines };
  }

  /** Mines one message; `timeUs` (microseconds since the epoch) defaults to now. */
  add(message: string, timeUs: number = Date.now() * 1000): MinedLine {
    this.#lines++;
    const kinds = this.#kinds;
    const { maxTokens, maxTokenLength } = this.options;
    const tokens = this.#masker.maskLine(message, maxTokens, maxTokenLength, this.#tokens, kinds);
    const cluster = this.#bestMatch(tokens, kinds);
    if (cluster) {
      const changed = cluster.generalise(tokens);
      cluster.seen(timeUs);
      this.#recency.touch(cluster);
      return { templateId: cluster.id, template: cluster.template, isNew: false, changed };
    }
    const created = new Cluster(
      this.#nextId++,
      tokens.slice(),
      kinds.slice(0, tokens.length),
      this.#tree.pathFor(tokens, kinds),
      1,
      timeUs,
      timeUs,
    );
    this.#tree.attach(created);
    this.#byId.set(created.id, created);
    this.#recency.push(created);
    if (this.#byId.size > this.options.maxTemplates) this.#evictLeastRecent();
    return { templateId: created.id, template: created.template, isNew: true, changed: false };
  }

  /** Every template kept, least recently seen first. */
  templates(): TemplateInfo[] {
    return Array.from(this.#recency, info);
  }

  template(id: number): TemplateInfo | null {
    const cluster = this.#byId.get(id);
    return cluster ? info(cluster) : null;
  }

  /**
   * The template's tokens (a variable position holds `<*>`, maybe with fixed text around it), without copying: for aligning a message with its template. Null once evicted.
   */
  templateTokens(id: number): readonly string[] | null {
    return this.#byId.get(id)?.tokens ?? null;
  }

  /** One template's state, as in a snapshot, with its text: for saving templates one by one. */
  clusterState(id: number): (ClusterSnapshot & { template: string }) | null {
    const cluster = this.#byId.get(id);
    return cluster ? { ...clusterSnapshot(cluster), template: cluster.template } : null;
  }

  /**
   * From now on keeps each evicted template's last state for {@link TemplateMiner.takeEvicted}. Off by
   * default, so a miner nobody drains stays within its memory bound.
   */
  collectEvictions(): void {
    this.#evictedSinceTaken ??= [];
  }

  /**
   * The templates evicted since the last call, with their last state: a store keeps them (their ids
   * are never reused, and entries stored with them still need their text).
   */
  takeEvicted(): (ClusterSnapshot & { template: string })[] {
    const evicted = this.#evictedSinceTaken ?? [];
    if (this.#evictedSinceTaken !== null) this.#evictedSinceTaken = [];
    return evicted;
  }

  /** The counters a snapshot carries besides the templates. */
  counters(): { nextId: number; evictions: number; lines: number } {
    return { nextId: this.#nextId, evictions: this.#evictions, lines: this.#lines };
  }

  snapshot(): MinerSnapshot {
    return {
      version: 1,
      options: { ...this.options },
      ...this.counters(),
      clusters: Array.from(this.#byId.values(), clusterSnapshot).sort((a, b) => a.id - b.id),
      recency: Array.from(this.#recency, (cluster) => cluster.id),
    };
  }

  static restore(snapshot: MinerSnapshot): TemplateMiner {
    if (snapshot.version !== 1)
      throw new Error(`unsupported miner snapshot version ${String(snapshot.version)}`);
    const miner = new TemplateMiner(snapshot.options);
    const byId = new Map<number, Cluster>();
    for (const state of snapshot.clusters) {
      if (state.kinds.length !== state.tokens.length || byId.has(state.id) || state.id >= snapshot.nextId) {
        throw new Error(`miner snapshot: template ${state.id} is inconsistent`);
      }
      const cluster = new Cluster(
        state.id,
        [...state.tokens],
        Uint8Array.from(state.kinds),
        [...state.path],
        state.count,
        state.firstSeenUs,
        state.lastSeenUs,
      );
      miner.#tree.attach(cluster);
      byId.set(cluster.id, cluster);
    }
    for (const id of snapshot.recency) {
      const cluster = byId.get(id);
      if (!cluster || miner.#byId.has(id)) {
        throw new Error(`miner snapshot: recency lists template ${id} wrongly`);
      }
      miner.#byId.set(id, cluster);
      miner.#recency.push(cluster);
    }
    if (miner.#byId.size !== byId.size)
      throw new Error('miner snapshot: recency does not list every template');
    miner.#nextId = snapshot.nextId;
    miner.#evictions = snapshot.evictions;
    miner.#lines = snapshot.lines;
    return miner;
  }

  #bestMatch(tokens: readonly string[], kinds: Uint8Array): Cluster | null {
    const threshold = this.options.similarityThreshold;
    let best: Cluster | null = null;
    let bestScore = INCOMPATIBLE;
    let bestVariables = -1;
    for (const cluster of this.#tree.candidates(tokens, kinds)) {
      const score = similarity(cluster, tokens, kinds, threshold);
      if (score === INCOMPATIBLE || score < bestScore) continue;
      if (score > bestScore) {
        best = cluster;
        bestScore = score;
        bestVariables = -1;
        continue;
      }
      // As in Drain, the more general of two equally good templates wins.
      if (bestVariables < 0) bestVariables = countVariables(best as Cluster);
      const variables = countVariables(cluster);
      if (variables > bestVariables) {
        best = cluster;
        bestVariables = variables;
      }
    }
    return best;
  }

  #evictLeastRecent(): void {
    const oldest = this.#recency.oldest;
    if (!oldest) return;
    this.#recency.remove(oldest);
    this.#byId.delete(oldest.id);
    this.#tree.detach(oldest);
    this.#evictions++;
    this.#evictedSinceTaken?.push({ ...clusterSnapshot(oldest), template: oldest.template });
  }
}

function countVariables(cluster: Cluster): number {
  let count = 0;
  for (const kind of cluster.kinds) if (kind === TokenKind.variable) count++;
  return count;
}

function clusterSnapshot(cluster: Cluster): ClusterSnapshot {
  return {
    id: cluster.id,
    tokens: [...cluster.tokens],
    kinds: Array.from(cluster.kinds),
    path: [...cluster.path],
    count: cluster.count,
    firstSeenUs: cluster.firstSeenUs,
    lastSeenUs: cluster.lastSeenUs,
  };
}

function info(cluster: Cluster): TemplateInfo {
  return {
    id: cluster.id,
    template: cluster.template,
    count: cluster.count,
    firstSeenUs: cluster.firstSeenUs,
    lastSeenUs: cluster.lastSeenUs,
  };
}

function validate(options: MinerOptions): MinerOptions {
  const { similarityThreshold, prefixTokens, maxChildren, maxTemplates, maxTokens, maxTokenLength } = options;
  if (!(similarityThreshold >= 0 && similarityThreshold <= 1)) {
    throw new RangeError(`similarityThreshold must be between 0 and 1, got ${similarityThreshold}`);
  }
  const counts = { prefixTokens, maxChildren, maxTemplates, maxTokens, maxTokenLength };
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isInteger(value) || value < (name === 'prefixTokens' ? 0 : 1)) {
      throw new RangeError(
        `${name} must be a whole number${name === 'prefixTokens' ? '' : ' above 0'}, got ${value}`,
      );
    }
  }
  return options;
}
