import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import type { SeriesCalibration } from './scoring.ts';
import type { SilenceHistory } from './silence.ts';

/**
 * The whole detector as one JSON-safe object, for the store to keep and a restart or another process to
 * load: the network (Keras-style topology, weight manifest, weights as base64 of their little-endian float32
 * bytes), and per series its normalisation and calibration. `version` is a content hash, so two snapshots
 * with the same version score identically and a retrain that changed nothing keeps
 * its version; `trainedAt` orders them in time.
 *
 * Pure TensorFlow.js has no file:// handler: the model goes out through `tf.io.withSaveHandler` and comes
 * back through `tf.io.fromMemory`.
 */
export const SNAPSHOT_FORMAT = 'lookout-count-autoencoder/2';

export interface SavedModel {
  topology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  /** base64 of the concatenated weight bytes, in `weightSpecs` order. */
  weights: string;
}

export interface SeriesSnapshot {
  key: string;
  /** base64 of the weekly level codes (see normalisation.ts). */
  levels: string;
  /** See normalisation.ts. */
  extraSpread: number;
  calibration: SeriesCalibration;
}

export interface TrainingReport {
  backend: string;
  series: number;
  trainingWindows: number;
  validationWindows: number;
  epochs: number;
  bestEpoch: number;
  validationLoss: number;
  stoppedBy: 'patience' | 'epochs' | 'time';
  seconds: number;
}

export interface CountAutoencoderSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: string;
  /** ISO 8601. */
  trainedAt: string;
  model: SavedModel;
  series: SeriesSnapshot[];
  /** The silences of the history, from which an alerting threshold follows for any budget. */
  silence: SilenceHistory;
  training: TrainingReport;
}

export async function saveModel(model: tf.LayersModel): Promise<SavedModel> {
  let saved: SavedModel | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (artifacts.modelTopology === undefined || artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error('expected a layers model topology');
      }
      const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      saved = {
        topology: artifacts.modelTopology,
        weightSpecs: artifacts.weightSpecs ?? [],
        weights: Buffer.from(weights).toString('base64'),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (saved === undefined) throw new Error('the model was not saved');
  return saved;
}

export function loadModel(saved: SavedModel): Promise<tf.LayersModel> {
  const bytes = Buffer.from(saved.weights, 'base64');
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: saved.topology, weightSpecs: saved.weightSpecs, weightData }),
  );
}

/** Hash of everything that decides scores and alerts; the training report and time are left out. */
export function snapshotVersion(
  model: SavedModel,
  series: readonly SeriesSnapshot[],
  silence: SilenceHistory,
): string {
  return createHash('sha256').update(JSON.stringify({ model, series, silence })).digest('hex').slice(0, 16);
}

/** Throws unless this looks like an intact snapshot of this format. */
export function checkSnapshot(snapshot: CountAutoencoderSnapshot): void {
  if (snapshot.format !== SNAPSHOT_FORMAT) {
    throw new Error(
      `not a count autoencoder snapshot (format ${String(snapshot.format)}, want ${SNAPSHOT_FORMAT})`,
    );
  }
  const version = snapshotVersion(snapshot.model, snapshot.series, snapshot.silence);
  if (version !== snapshot.version) {
    throw new Error(
      `count autoencoder snapshot is damaged: content hashes to ${version}, not ${snapshot.version}`,
    );
  }
}

export function encodeBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function decodeBytes(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}
