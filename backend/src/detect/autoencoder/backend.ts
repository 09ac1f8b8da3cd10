import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/**
 * Which TensorFlow.js backend runs the model. `auto` takes the native `tensorflow` backend when
 * @tensorflow/tfjs-node is installed (users with internet can add it; its install downloads libtensorflow)
 * and WebAssembly otherwise; `cpu` is the pure-JS reference, about 3x slower than wasm.
 *
 * A backend is global to its thread in TensorFlow.js, so this sets it for the whole thread.
 */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** Held in a variable so that TypeScript does not require the optional package to be installed. */
const NATIVE_PACKAGE = '@tensorflow/tfjs-node';

let nativeAvailable: Promise<boolean> | undefined;

export async function useBackend(choice: BackendChoice = 'auto'): Promise<string> {
  const name = choice === 'auto' ? ((await loadNative()) ? 'tensorflow' : 'wasm') : choice;
  if (name === 'tensorflow' && !(await loadNative())) throw new Error(`${NATIVE_PACKAGE} is not installed`);
  if (!(await tf.setBackend(name))) {
    throw new Error(`TensorFlow.js backend ${name} failed to initialise`);
  }
  await tf.ready();
  return name;
}

function loadNative(): Promise<boolean> {
  nativeAvailable ??= import(NATIVE_PACKAGE).then(
    () => true,
    () => false,
  );
  return nativeAvailable;
}
