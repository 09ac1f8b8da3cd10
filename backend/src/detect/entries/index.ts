// The per-entry scorer: is this entry odd given its host, unit, template and time? See docs/entry-scorer.md.
export { EntryScorer } from './scorer.ts';
export { OfflineEntryScorer } from './offline.ts';
export { DEFAULT_ENTRY_SCORER_OPTIONS } from './options.ts';
export type { EntryScorerOptions, EntryScorerSettings } from './options.ts';
export type { EntryScore, EntryScorerSnapshot, EntryScorerStats } from './scorer.ts';
export { trainEntryModel } from './model.ts';
export type { TrainedEntryModel, TrainingJob } from './model.ts';
export type { MuteRule } from './mutes.ts';
export { REASONS } from './reasons.ts';
export type { Reason } from './reasons.ts';
export { FEATURES, FEATURE_COUNT } from './features.ts';
export { DEFAULT_HISTORY_LIMITS } from './history.ts';
export type { HistoryLimits } from './history.ts';
