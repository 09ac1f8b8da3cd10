import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../../src/detect/autoencoder/backend.ts';
import { CountAutoencoder } from '../../../src/detect/autoencoder/count-autoencoder.ts';
import { ForwardPass, tanh } from '../../../src/detect/autoencoder/forward.ts';
import {
  buildAutoencoder,
  DEFAULT_MODEL_SIZE,
  fitAutoencoder,
} from '../../../src/detect/autoencoder/model.ts';
import { fitNormalisation, normalise, Z_LIMIT } from '../../../src/detect/autoencoder/normalisation.ts';
import type { CountSeries } from '../../../src/detect/autoencoder/series.ts';
import { MINUTES_PER_DAY } from '../../../src/detect/autoencoder/series.ts';
import type { CountAutoencoderSnapshot } from '../../../src/detect/autoencoder/snapshot.ts';
import { loadModel, saveModel } from '../../../src/detect/autoencoder/snapshot.ts';
import type { WindowBatch } from '../../../src/detect/autoencoder/windows.ts';
import { buildWindows, TIME_FEATURES, WINDOW_STEPS } from '../../../src/detect/autoencoder/windows.ts';
import { SeededRandom } from '../../../src/detect/random.ts';
import { generateSeries, injectBurst, injectSilence, MONDAY, unitProfiles } from './synthetic.ts';

/** TensorFlow.js computes in float32; the forward pass in float64, stored as float32. */
const TOLERANCE = 1e-5;

/** What the forward pass replaces: TensorFlow.js's own inference. */
function predict(model: tf.LayersModel, batch: WindowBatch): Float32Array {
  return tf.tidy(() => {
    const z = tf.tensor3d(batch.z, [batch.size, WINDOW_STEPS, 1]);
    const time = tf.tensor3d(batch.time, [batch.size, WINDOW_STEPS, TIME_FEATURES]);
    return (model.predict([z, time]) as tf.Tensor).dataSync() as Float32Array;
  });
}

function largestDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return largest;
}

function assertSameAsTensorFlow(model: tf.LayersModel, batch: WindowBatch): void {
  const difference = largestDifference(ForwardPass.of(model).reconstruct(batch), predict(model, batch));
  assert.ok(difference <= TOLERANCE, `largest difference ${difference}`);
}

/** Any z the normalisation can give and time features anywhere in [−1, 1]. */
function randomWindows(size: number, random: SeededRandom): WindowBatch {
  return {
    size,
    z: Float32Array.from({ length: size * WINDOW_STEPS }, () => (2 * random.next() - 1) * Z_LIMIT),
    time: Float32Array.from({ length: size * WINDOW_STEPS * TIME_FEATURES }, () => 2 * random.next() - 1),
  };
}

/** Windows of synthetic units with bursts and silences, some starting before their series (padded). */
function realWindows(series: CountSeries[], size: number, random: SeededRandom): WindowBatch {
  const normalised = series.map((one) => normalise(one, fitNormalisation(one)));
  return buildWindows(
    Array.from({ length: size }, (_, i) => {
      const one = normalised[i % normalised.length] ?? assert.fail();
      return { series: one, endIndex: i < 8 ? i : random.nextInt(one.z.length) };
    }),
  );
}

const history = generateSeries(unitProfiles(4, 1), MONDAY, 2 * MINUTES_PER_DAY, 2);
injectBurst(history[1] ?? assert.fail(), 1, 600, 5, 8, 20);
injectSilence(history[2] ?? assert.fail(), 2, 900, 60);

describe('ForwardPass', () => {
  before(async () => {
    await useBackend('wasm');
  });

  test('tanh is Math.tanh within 1e-12, and ±1 far out', () => {
    let largest = 0;
    for (let x = -25; x <= 25; x += 1 / 1024 + 1e-7)
      largest = Math.max(largest, Math.abs(tanh(x) - Math.tanh(x)));
    assert.ok(largest < 1e-12, `largest difference ${largest}`);
    assert.equal(tanh(Infinity), 1);
    assert.equal(tanh(-Infinity), -1);
    assert.equal(tanh(0), 0);
  });

  test('rebuilds what TensorFlow.js predicts, after training and after a save and load', async () => {
    const random = new SeededRandom(4);
    const model = buildAutoencoder(DEFAULT_MODEL_SIZE, 9);
    try {
      const training = realWindows(history, 256, random);
      const validation = realWindows(history, 32, random);
      await fitAutoencoder(model, training, validation, {
        maxEpochs: 2,
        batchSize: 64,
        patience: 2,
        learningRate: 0.01,
        seed: 3,
        deadline: Infinity,
      });
      const real = realWindows(history, 301, random);
      const random301 = randomWindows(301, random);
      assertSameAsTensorFlow(model, real);
      assertSameAsTensorFlow(model, random301);
      const loaded = await loadModel(await saveModel(model));
      try {
        assertSameAsTensorFlow(loaded, real);
        assertSameAsTensorFlow(loaded, random301);
      } finally {
        loaded.dispose();
      }
    } finally {
      model.dispose();
    }
  });

  test('rebuilds what TensorFlow.js predicts for a trained CountAutoencoder snapshot after a JSON round trip', async () => {
    const trained = await CountAutoencoder.train(history, {
      seed: 5,
      maxWindows: 192,
      maxEpochs: 2,
      batchSize: 64,
      calibrationWindows: 8,
    });
    const snapshot = JSON.parse(JSON.stringify(trained.toSnapshot())) as CountAutoencoderSnapshot;
    const model = await loadModel(snapshot.model);
    try {
      const random = new SeededRandom(6);
      assertSameAsTensorFlow(model, realWindows(history, 200, random));
      assertSameAsTensorFlow(model, randomWindows(200, random));
    } finally {
      model.dispose();
    }
  });

  test('a window rebuilds the same whatever it is batched with (windows go through in pairs)', () => {
    const model = buildAutoencoder(DEFAULT_MODEL_SIZE, 2);
    try {
      const pass = ForwardPass.of(model);
      const batch = randomWindows(5, new SeededRandom(7));
      const together = pass.reconstruct(batch);
      for (let row = 0; row < batch.size; row++) {
        const alone = pass.reconstruct({
          size: 1,
          z: batch.z.subarray(row * WINDOW_STEPS, (row + 1) * WINDOW_STEPS),
          time: batch.time.subarray(
            row * WINDOW_STEPS * TIME_FEATURES,
            (row + 1) * WINDOW_STEPS * TIME_FEATURES,
          ),
        });
        assert.deepEqual(alone, together.subarray(row * WINDOW_STEPS, (row + 1) * WINDOW_STEPS));
      }
      assert.equal(
        pass.reconstruct({ size: 0, z: new Float32Array(0), time: new Float32Array(0) }).length,
        0,
      );
    } finally {
      model.dispose();
    }
  });

  test('refuses a network whose layers compute something else', async () => {
    const model = buildAutoencoder(DEFAULT_MODEL_SIZE, 2);
    const saved = await saveModel(model);
    model.dispose();
    const topology = JSON.stringify(saved.topology).replace(
      '"recurrent_activation":"hard_sigmoid"',
      '"recurrent_activation":"sigmoid"',
    );
    const other = await loadModel({ ...saved, topology: JSON.parse(topology) as object });
    try {
      assert.throws(() => ForwardPass.of(other), /layer encoder is not the LSTM this forward pass computes/);
    } finally {
      other.dispose();
    }
  });
});
