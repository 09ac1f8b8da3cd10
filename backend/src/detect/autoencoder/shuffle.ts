import type { SeededRandom } from '../random.ts';

/** Fisher–Yates with a seeded generator, so that an order repeats for a seed. */
export function shuffle(values: Uint32Array, random: SeededRandom): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    const swap = values[i] ?? 0;
    values[i] = values[j] ?? 0;
    values[j] = swap;
  }
}
