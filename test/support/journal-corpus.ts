/** The realistic journald corpus generator; it lives in `corpus/`, one file per unit family. */
export type { CorpusOptions } from './corpus/corpus.ts';
export { DEFAULT_START_US, generateEntries, toJsonLine } from './corpus/corpus.ts';
export type { CorpusEntry } from './corpus/recorder.ts';
export { mulberry32 } from './corpus/random.ts';
