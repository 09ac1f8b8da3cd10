import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../random.ts';
import { ForwardPass } from './forward.ts';
import { Z_LIMIT } from './normalisation.ts';
import { shuffle } from './shuffle.ts';
import type { WindowBatch } from './windows.ts';
import { TIME_FEATURES, WINDOW_STEPS } from './windows.ts';

/**
 * One LSTM autoencoder shared by every series:
 *
 *   [z, time] ─► LSTM(units) ─► Dense(bottleneck, tanh) ─► RepeatVector(WINDOW_STEPS)
 *             ─► concat time ─► LSTM(units, sequences) ─► TimeDistributed(Dense(1)) ─► z reconstructed
 *
 * The bottleneck is far narrower than the window, so the model can only rebuild the shapes it saw often in
 * training; a burst, a gap or a drift it never learned comes back flattened, and the difference is the
 * anomaly. The decoder gets the time of each step again, so that it needs no bottleneck room to say when
 * the window is.
 *
 * It is trained as a denoising autoencoder: in half the training windows a few random minutes are pushed
 * far up or down, and it must rebuild the window without them. It so learns not to follow a minute that
 * jumps, which keeps a burst from being half rebuilt (and half hidden) at its own minute, and from lifting
 * the whole reconstruction, which would read as a drift for the half hour after it. On 300 of the
 * benchmark's units this halved the scores of the minutes after a burst and raised crash-loop recall.
 *
 * Every initialiser is seeded, batches and spikes come from a seeded generator and every layer is named
 * (TensorFlow.js would otherwise number them per process, and the names are part of a snapshot), so one
 * seed and one backend give the same snapshot bit for bit; wasm and cpu differ in the last bits.
 */
export interface ModelSize {
  units: number;
  bottleneck: number;
}

export const DEFAULT_MODEL_SIZE: ModelSize = { units: 16, bottleneck: 8 };

export interface FitOptions {
  maxEpochs: number;
  batchSize: number;
  /** Epochs without a better validation loss before training stops (the best weights are kept). */
  patience: number;
  learningRate: number;
  seed: number;
  /** A `performance.now()` time after which no further epoch starts. */
  deadline: number;
}

export interface FitReport {
  epochs: number;
  bestEpoch: number;
  validationLoss: number;
  stoppedBy: 'patience' | 'epochs' | 'time';
}

export function buildAutoencoder(size: ModelSize, seed: number): tf.LayersModel {
  const seeds = new SeededRandom(seed);
  const kernel = () => tf.initializers.glorotUniform({ seed: seeds.nextUint32() });
  const recurrent = () => tf.initializers.orthogonal({ seed: seeds.nextUint32(), gain: 1 });
  const z = tf.input({ shape: [WINDOW_STEPS, 1], name: 'z' });
  const time = tf.input({ shape: [WINDOW_STEPS, TIME_FEATURES], name: 'time' });
  const steps = tf.layers.concatenate({ name: 'steps' }).apply([z, time]);
  const encoded = tf.layers
    .lstm({
      units: size.units,
      kernelInitializer: kernel(),
      recurrentInitializer: recurrent(),
      name: 'encoder',
    })
    .apply(steps);
  const code = tf.layers
    .dense({ units: size.bottleneck, activation: 'tanh', kernelInitializer: kernel(), name: 'bottleneck' })
    .apply(encoded);
  const repeated = tf.layers.repeatVector({ n: WINDOW_STEPS, name: 'repeat' }).apply(code);
  const decoderSteps = tf.layers.concatenate({ name: 'decoder_steps' }).apply([symbolic(repeated), time]);
  const decoded = tf.layers
    .lstm({
      units: size.units,
      returnSequences: true,
      kernelInitializer: kernel(),
      recurrentInitializer: recurrent(),
      name: 'decoder',
    })
    .apply(decoderSteps);
  const output = tf.layers
    .timeDistributed({
      layer: tf.layers.dense({ units: 1, kernelInitializer: kernel(), name: 'output_dense' }),
      name: 'output',
    })
    .apply(decoded);
  return tf.model({ inputs: [z, time], outputs: symbolic(output), name: 'count_autoencoder' });
}

/**
 * Trains on `training`, keeping the weights of the epoch with the lowest loss on `validation`. Stops after
 * `maxEpochs`, after `patience` epochs without improvement, or at the deadline, whichever comes first.
 */
export async function fitAutoencoder(
  model: tf.LayersModel,
  training: WindowBatch,
  validation: WindowBatch,
  options: FitOptions,
): Promise<FitReport> {
  model.compile({ optimizer: tf.train.adam(options.learningRate), loss: 'meanSquaredError' });
  const random = new SeededRandom(options.seed);
  const order = Uint32Array.from({ length: training.size }, (_, i) => i);
  let best: tf.Tensor[] = [];
  let bestLoss = Infinity;
  let bestEpoch = 0;
  let epoch = 0;
  let stoppedBy: FitReport['stoppedBy'] = 'epochs';
  while (epoch < options.maxEpochs) {
    epoch++;
    shuffle(order, random);
    for (let start = 0; start < training.size; start += options.batchSize) {
      const batch = selectWindows(training, order.subarray(start, start + options.batchSize));
      const [z, time] = windowTensors(batch);
      const spiked = tf.tensor3d(withRandomSpikes(batch.z, random), [batch.size, WINDOW_STEPS, 1]);
      await model.trainOnBatch([spiked, time], z);
      tf.dispose([z, time, spiked]);
    }
    const loss = meanSquaredError(validation.z, ForwardPass.of(model).reconstruct(validation));
    if (!Number.isFinite(loss)) throw new Error(`autoencoder training diverged at epoch ${epoch}`);
    if (loss < bestLoss) {
      tf.dispose(best);
      best = model.getWeights().map((weight) => weight.clone());
      bestLoss = loss;
      bestEpoch = epoch;
    } else if (epoch - bestEpoch >= options.patience) {
      stoppedBy = 'patience';
      break;
    }
    if (performance.now() > options.deadline && epoch < options.maxEpochs) {
      stoppedBy = 'time';
      break;
    }
  }
  model.setWeights(best);
  tf.dispose(best);
  return { epochs: epoch, bestEpoch, validationLoss: bestLoss, stoppedBy };
}

export function meanSquaredError(observed: Float32Array, reconstructed: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < observed.length; i++) sum += ((observed[i] ?? 0) - (reconstructed[i] ?? 0)) ** 2;
  return sum / observed.length;
}

function windowTensors(batch: WindowBatch): [tf.Tensor3D, tf.Tensor3D] {
  return [
    tf.tensor3d(batch.z, [batch.size, WINDOW_STEPS, 1]),
    tf.tensor3d(batch.time, [batch.size, WINDOW_STEPS, TIME_FEATURES]),
  ];
}

export function selectWindows(batch: WindowBatch, rows: ArrayLike<number>): WindowBatch {
  const z = new Float32Array(rows.length * WINDOW_STEPS);
  const time = new Float32Array(rows.length * WINDOW_STEPS * TIME_FEATURES);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] ?? 0;
    z.set(batch.z.subarray(row * WINDOW_STEPS, (row + 1) * WINDOW_STEPS), i * WINDOW_STEPS);
    const timeWidth = WINDOW_STEPS * TIME_FEATURES;
    time.set(batch.time.subarray(row * timeWidth, (row + 1) * timeWidth), i * timeWidth);
  }
  return { size: rows.length, z, time };
}

/**
 * A copy of the windows' z in which half the windows have 1 to 3 random minutes pushed away by 3 to 8 z
 * (mostly up: bursts are commoner than one-minute gaps), clipped like real inputs.
 */
function withRandomSpikes(z: Float32Array, random: SeededRandom): Float32Array {
  const spiked = Float32Array.from(z);
  for (let row = 0; row < z.length / WINDOW_STEPS; row++) {
    if (random.next() < 0.5) continue;
    const spikes = 1 + random.nextInt(3);
    for (let k = 0; k < spikes; k++) {
      const cell = row * WINDOW_STEPS + random.nextInt(WINDOW_STEPS);
      const jump = (3 + 5 * random.next()) * (random.next() < 0.7 ? 1 : -1);
      spiked[cell] = Math.max(-Z_LIMIT, Math.min(Z_LIMIT, (spiked[cell] ?? 0) + jump));
    }
  }
  return spiked;
}

/** Layer outputs are typed as any tensor kind; in a functional model built from inputs they are symbolic. */
function symbolic(
  output: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[],
): tf.SymbolicTensor {
  if (!(output instanceof tf.SymbolicTensor)) throw new TypeError('expected a symbolic layer output');
  return output;
}
