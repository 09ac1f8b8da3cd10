import type * as tf from '@tensorflow/tfjs';
import type { WindowBatch } from './windows.ts';
import { TIME_FEATURES, WINDOW_STEPS } from './windows.ts';

/**
 * The autoencoder's inference in plain TypeScript: the trained weights copied out of TensorFlow.js once, and
 * the network of `buildAutoencoder` (model.ts) run in loops over typed arrays.
 *
 * TensorFlow.js runs every LSTM step as a dozen small operations, each with a fixed cost (a kernel call, a
 * tensor, its bookkeeping) far above its arithmetic: about 1,200 windows a second on wasm whatever the batch.
 * The whole network is about 80,000 multiply-adds a window, which plain loops do several times faster.
 *
 * It computes what TensorFlow.js's layers compute (tfjs-layers 4.x, recurrent.js, core.js, activations.js):
 * an LSTM cell's pre-activations are x·kernel + h·recurrentKernel + bias, split in four in the order
 * input, forget, cell, output; the gates go through the recurrent activation, `hardSigmoid` by default in
 * TensorFlow.js (clip(0.2·x + 0.5, 0, 1), not the logistic of Keras 2.x), the cell candidate and the output
 * through tanh; c = f·c + i·tanh(cell), h = o·tanh(c), both starting at 0. A concatenation puts its inputs
 * side by side in the order given ([z, time] into the encoder, [code, time] into the decoder), Dense is
 * x·kernel + bias then its activation, and TimeDistributed applies its Dense to every step. Sums run in
 * float64, so results differ from TensorFlow.js's float32 in the last bits only; they are stored as float32.
 *
 * Windows go through two at a time, in lockstep: each weight loaded serves both, which made the pass about
 * 30% faster than one at a time (more would not fit the processor's registers). State and inputs of the two
 * lanes sit side by side in one array, lane 0 first. A snapshot carries its topology: `of` refuses a network
 * whose activations or shapes differ from these.
 */
export class ForwardPass {
  private readonly units: number;
  private readonly bottleneck: number;
  private readonly encoder: LstmWeights;
  private readonly bottleneckKernel: Float64Array;
  private readonly bottleneckBias: Float64Array;
  /** The decoder's input weights of the code, and an LSTM whose inputs are the time features only. */
  private readonly decoderCodeKernel: Float64Array;
  private readonly decoder: LstmWeights;
  private readonly outputKernel: Float64Array;
  private readonly outputBias: number;
  /** Scratch, reused by every pair of windows. */
  private readonly input: Float64Array;
  private readonly code: Float64Array;
  /** The encoder's bias, and the decoder's gate pre-activations from its bias and the code: per lane. */
  private readonly encoderBase: Float64Array;
  private readonly decoderBase: Float64Array;
  private h: Float64Array;
  private next: Float64Array;
  private readonly c: Float64Array;

  private constructor(model: tf.LayersModel) {
    const encoder = readLstm(model, 'encoder', 1 + TIME_FEATURES);
    const units = encoder.units;
    const code = readDense(model, 'bottleneck', units, 'tanh');
    const bottleneck = code.outputs;
    const decoder = readLstm(model, 'decoder', bottleneck + TIME_FEATURES);
    if (decoder.units !== units) throw new Error('encoder and decoder differ in width');
    const output = readDense(model, 'output', units, 'linear');
    if (output.outputs !== 1) throw new Error('the output layer must rebuild one value a step');
    this.units = units;
    this.bottleneck = bottleneck;
    this.encoder = interleave(encoder, 0, 1 + TIME_FEATURES);
    this.bottleneckKernel = code.kernel;
    this.bottleneckBias = code.bias;
    this.decoderCodeKernel = interleave(decoder, 0, bottleneck, false).matrix;
    this.decoder = interleave(decoder, bottleneck, TIME_FEATURES);
    this.outputKernel = output.kernel;
    this.outputBias = output.bias[0] ?? 0;
    this.input = new Float64Array(2 * (1 + TIME_FEATURES));
    this.code = new Float64Array(2 * bottleneck);
    this.encoderBase = new Float64Array(8 * units);
    this.encoderBase.set(this.encoder.bias);
    this.encoderBase.set(this.encoder.bias, 4 * units);
    this.decoderBase = new Float64Array(8 * units);
    this.h = new Float64Array(2 * units);
    this.next = new Float64Array(2 * units);
    this.c = new Float64Array(2 * units);
  }

  /** Copies the model's current weights; later training does not change this pass. */
  static of(model: tf.LayersModel): ForwardPass {
    return new ForwardPass(model);
  }

  /** The reconstruction of every window's z, laid out like `batch.z`. */
  reconstruct(batch: WindowBatch): Float32Array {
    const result = new Float32Array(batch.size * WINDOW_STEPS);
    // An odd last window goes in both lanes: the same sums, written twice.
    for (let row = 0; row < batch.size; row += 2) {
      this.reconstructPair(batch, row, Math.min(row + 1, batch.size - 1), result);
    }
    return result;
  }

  private reconstructPair(
    { z, time }: WindowBatch,
    first: number,
    second: number,
    result: Float32Array,
  ): void {
    const { units, bottleneck, input, code, decoderBase, c } = this;
    const inputs = 1 + TIME_FEATURES;
    this.h.fill(0);
    c.fill(0);
    for (let step = 0; step < WINDOW_STEPS; step++) {
      for (let lane = 0; lane < 2; lane++) {
        const cell = (lane === 0 ? first : second) * WINDOW_STEPS + step;
        input[lane * inputs] = z[cell] as number;
        for (let k = 0; k < TIME_FEATURES; k++) {
          input[lane * inputs + 1 + k] = time[cell * TIME_FEATURES + k] as number;
        }
      }
      this.lstmStep(this.encoder, this.encoderBase, input);
    }

    const h = this.h;
    const decoderCodeKernel = this.decoderCodeKernel;
    decoderBase.set(this.decoder.bias);
    decoderBase.set(this.decoder.bias, 4 * units);
    for (let lane = 0; lane < 2; lane++) {
      for (let k = 0; k < bottleneck; k++) {
        let sum = this.bottleneckBias[k] as number;
        for (let u = 0; u < units; u++) {
          sum += (h[lane * units + u] as number) * (this.bottleneckKernel[u * bottleneck + k] as number);
        }
        code[lane * bottleneck + k] = tanh(sum);
      }
      for (let u = 0; u < units; u++) {
        for (let k = 0; k < bottleneck; k++) {
          const value = code[lane * bottleneck + k] as number;
          for (let gate = 0; gate < 4; gate++) {
            const at = lane * 4 * units + u * 4 + gate;
            decoderBase[at] =
              (decoderBase[at] as number) +
              value * (decoderCodeKernel[(u * bottleneck + k) * 4 + gate] as number);
          }
        }
      }
    }

    this.h.fill(0);
    c.fill(0);
    const outputKernel = this.outputKernel;
    for (let step = 0; step < WINDOW_STEPS; step++) {
      for (let lane = 0; lane < 2; lane++) {
        const cell = (lane === 0 ? first : second) * WINDOW_STEPS + step;
        for (let k = 0; k < TIME_FEATURES; k++) {
          input[lane * TIME_FEATURES + k] = time[cell * TIME_FEATURES + k] as number;
        }
      }
      this.lstmStep(this.decoder, decoderBase, input);
      const state = this.h;
      for (let lane = 0; lane < 2; lane++) {
        let out = this.outputBias;
        for (let u = 0; u < units; u++)
          out += (state[lane * units + u] as number) * (outputKernel[u] as number);
        result[(lane === 0 ? first : second) * WINDOW_STEPS + step] = out;
      }
    }
  }

  /**
   * One LSTM step of both lanes: each unit's four gates from `base` (bias, and any input that is constant
   * over the window), the step's inputs (`weights.inputs` a lane) and the previous h; then c and h.
   */
  private lstmStep(weights: LstmWeights, base: Float64Array, inputs: Float64Array): void {
    const { units, c } = this;
    const { matrix, steps: stepInputs } = weights;
    const inputCount = weights.inputs;
    const rows = inputCount + units;
    const h = this.h;
    const next = this.next;
    const width = 4 * units;
    // Each lane's step inputs then its previous h, one run the unit's weights are read along.
    for (let lane = 0; lane < 2; lane++) {
      for (let k = 0; k < inputCount; k++)
        stepInputs[lane * rows + k] = inputs[lane * inputCount + k] as number;
      for (let k = 0; k < units; k++)
        stepInputs[lane * rows + inputCount + k] = h[lane * units + k] as number;
    }
    for (let u = 0; u < units; u++) {
      let at = u * 4;
      let i0 = base[at] as number;
      let f0 = base[at + 1] as number;
      let g0 = base[at + 2] as number;
      let o0 = base[at + 3] as number;
      let i1 = base[width + at] as number;
      let f1 = base[width + at + 1] as number;
      let g1 = base[width + at + 2] as number;
      let o1 = base[width + at + 3] as number;
      at = u * rows * 4;
      for (let k = 0; k < rows; k++, at += 4) {
        const x0 = stepInputs[k] as number;
        const x1 = stepInputs[rows + k] as number;
        const wi = matrix[at] as number;
        const wf = matrix[at + 1] as number;
        const wg = matrix[at + 2] as number;
        const wo = matrix[at + 3] as number;
        i0 += x0 * wi;
        f0 += x0 * wf;
        g0 += x0 * wg;
        o0 += x0 * wo;
        i1 += x1 * wi;
        f1 += x1 * wf;
        g1 += x1 * wg;
        o1 += x1 * wo;
      }
      const state0 = hardSigmoid(f0) * (c[u] as number) + hardSigmoid(i0) * tanh(g0);
      c[u] = state0;
      next[u] = hardSigmoid(o0) * tanh(state0);
      const state1 = hardSigmoid(f1) * (c[units + u] as number) + hardSigmoid(i1) * tanh(g1);
      c[units + u] = state1;
      next[units + u] = hardSigmoid(o1) * tanh(state1);
    }
    this.h = next;
    this.next = h;
  }
}

/** e^y = 2^(k / 32) · e^r: a 32nd of ln 2, split so that k times its high part is exact. */
const EXP_STEP_HIGH = 6.9314718036912381649e-1 / 32;
const EXP_STEP_LOW = 1.90821492927058770002e-10 / 32;
/** 2^q for q from −64 (at index 0) to 63. */
const WHOLE_POWERS = Float64Array.from({ length: 128 }, (_, i) => 2 ** (i - 64));
const FRACTION_POWERS = Float64Array.from({ length: 32 }, (_, j) => 2 ** (j / 32));

/**
 * tanh within 1e-12 of Math.tanh, in arithmetic that the compiler keeps inline, without a branch on the sign
 * (gates change sign at random, and mispredicted branches cost more than the arithmetic): Math.tanh, a call
 * into the runtime, took 40% of the forward pass (two per unit and step). e^2x = 2^(k / 32) · e^r with
 * |r| ≤ ln 2 / 64, e^r by its Taylor series to r^4/4! (remainder below 2e-12), tanh = (e − 1) / (e + 1).
 * From |x| = 20 on, tanh is ±1 in float64, so x is clamped there (which keeps 2^(k / 32) in the tables).
 */
export function tanh(x: number): number {
  let y = 2 * x;
  if (y > 40) y = 40;
  else if (y < -40) y = -40;
  const k = Math.round(y * (32 / Math.LN2));
  const r = y - k * EXP_STEP_HIGH - k * EXP_STEP_LOW;
  const r2 = r * r;
  const exp =
    (1 + r + r2 * (1 / 2 + r / 6 + r2 / 24)) *
    (WHOLE_POWERS[(k >> 5) + 64] as number) *
    (FRACTION_POWERS[k & 31] as number);
  return (exp - 1) / (exp + 1);
}

/**
 * TensorFlow.js's `hardSigmoid`, clip(0.2 · x + 0.5, 0, 1) (tfjs-layers backend/tfjs_backend.js), written
 * with absolute values, which compile without branches: (|y| − |y − 1| + 1) / 2 is y clipped to [0, 1].
 */
function hardSigmoid(x: number): number {
  const y = 0.2 * x;
  return 0.5 * (Math.abs(y + 0.5) - Math.abs(y - 0.5) + 1);
}

interface LstmLayer {
  units: number;
  /** [inputs, 4 × units] row-major. */
  kernel: Float64Array;
  /** [units, 4 × units] row-major. */
  recurrent: Float64Array;
  bias: Float64Array;
}

/**
 * The same weights laid out unit by unit, its four gates side by side, the rows of the inputs and then of
 * the recurrent kernel one after the other, so that a unit's gates are four sums over one contiguous run:
 * matrix[(u × rows + k) × 4 + gate] with rows = inputs + units (or inputs alone), bias[u × 4 + gate].
 */
interface LstmWeights {
  units: number;
  inputs: number;
  matrix: Float64Array;
  bias: Float64Array;
  /** Scratch for a step's inputs and previous h, both lanes. */
  steps: Float64Array;
}

/**
 * The interleaved weights of kernel rows `first` to `first + inputs` (the inputs one part of the
 * concatenation feeds), followed by the recurrent kernel's unless `recurrent` is false.
 */
function interleave(layer: LstmLayer, first: number, inputs: number, recurrent = true): LstmWeights {
  const { units } = layer;
  const width = 4 * units;
  const rows = inputs + (recurrent ? units : 0);
  const matrix = new Float64Array(units * rows * 4);
  const bias = new Float64Array(units * 4);
  for (let u = 0; u < units; u++) {
    for (let gate = 0; gate < 4; gate++) {
      const column = gate * units + u;
      bias[u * 4 + gate] = layer.bias[column] as number;
      for (let k = 0; k < rows; k++) {
        matrix[(u * rows + k) * 4 + gate] = (
          k < inputs
            ? layer.kernel[(first + k) * width + column]
            : layer.recurrent[(k - inputs) * width + column]
        ) as number;
      }
    }
  }
  return { units, inputs, matrix, bias, steps: new Float64Array(2 * rows) };
}

function readLstm(model: tf.LayersModel, name: string, inputs: number): LstmLayer {
  const layer = model.getLayer(name);
  const config = layer.getConfig();
  if (
    config['activation'] !== 'tanh' ||
    config['recurrentActivation'] !== 'hardSigmoid' ||
    config['useBias'] !== true ||
    config['goBackwards'] === true ||
    config['dropout'] !== 0 ||
    config['recurrentDropout'] !== 0
  ) {
    throw new Error(`layer ${name} is not the LSTM this forward pass computes`);
  }
  const units = Number(config['units']);
  return {
    units,
    kernel: weightOf(layer, `${name}/kernel`, [inputs, 4 * units]),
    recurrent: weightOf(layer, `${name}/recurrent_kernel`, [units, 4 * units]),
    bias: weightOf(layer, `${name}/bias`, [4 * units]),
  };
}

interface DenseLayer {
  outputs: number;
  /** [inputs, outputs] row-major. */
  kernel: Float64Array;
  bias: Float64Array;
}

/**
 * A Dense layer, or a TimeDistributed one around a Dense (whose weights are named after the wrapper), with
 * this activation.
 */
function readDense(model: tf.LayersModel, name: string, inputs: number, activation: string): DenseLayer {
  const layer = model.getLayer(name);
  const config = layer.getConfig();
  const wrapped = config['layer'] as { config?: tf.serialization.ConfigDict } | undefined;
  const dense = wrapped === undefined ? config : wrapped.config;
  if (dense?.['activation'] !== activation || dense['useBias'] !== true) {
    throw new Error(`layer ${name} is not the Dense this forward pass computes`);
  }
  const outputs = Number(dense['units']);
  return {
    outputs,
    kernel: weightOf(layer, `${name}/kernel`, [inputs, outputs]),
    bias: weightOf(layer, `${name}/bias`, [outputs]),
  };
}

function weightOf(layer: tf.layers.Layer, name: string, shape: number[]): Float64Array {
  const variable = layer.weights.find((weight) => weight.originalName === name);
  if (variable === undefined) throw new Error(`the model has no weight ${name}`);
  if (variable.shape.join() !== shape.join()) {
    throw new Error(`weight ${name} has shape [${variable.shape.join()}], want [${shape.join()}]`);
  }
  return Float64Array.from(variable.read().dataSync());
}
