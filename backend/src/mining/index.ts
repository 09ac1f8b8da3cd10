// The template miner: every log message becomes a template id. See docs/mining.md.
export { groupingAccuracy } from './accuracy.ts';
export { DEFAULT_MINER_OPTIONS, TemplateMiner } from './miner.ts';
export type {
  ClusterSnapshot,
  MinedLine,
  MinerOptions,
  MinerSnapshot,
  MinerStats,
  TemplateInfo,
} from './miner.ts';
export { WILDCARD } from './tokens.ts';
