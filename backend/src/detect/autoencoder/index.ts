// The count-series anomaly detector (LSTM autoencoder): what the rest of Lookout uses.
export type { BackendChoice } from './backend.ts';
export { CountAutoencoder } from './count-autoencoder.ts';
export type { ScoreRequest, TrainOptions } from './count-autoencoder.ts';
export type { AnomalyKind, PointScore } from './scoring.ts';
export type { CountSeries } from './series.ts';
export type { SilenceHistory } from './silence.ts';
export { silenceThreshold, SilenceWatch } from './silence.ts';
export type { CountAutoencoderSnapshot, TrainingReport } from './snapshot.ts';
