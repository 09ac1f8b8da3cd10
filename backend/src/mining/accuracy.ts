/**
 * Grouping accuracy, the standard measure of a template miner (Zhu et al., ICSE 2019): a line counts
 * as correct when the lines the miner grouped with it are exactly the lines that share its true
 * template. Returns the share of correct lines (1 for no lines).
 */
export function groupingAccuracy(predicted: readonly unknown[], truth: readonly unknown[]): number {
  if (predicted.length !== truth.length) throw new Error('grouping accuracy needs one truth per prediction');
  if (predicted.length === 0) return 1;
  const truthSizes = countBy(truth);
  const groups = new Map<unknown, { truth: unknown; size: number; pure: boolean }>();
  for (let index = 0; index < predicted.length; index++) {
    const group = groups.get(predicted[index]);
    if (!group) groups.set(predicted[index], { truth: truth[index], size: 1, pure: true });
    else {
      group.size++;
      if (group.truth !== truth[index]) group.pure = false;
    }
  }
  let correct = 0;
  for (const group of groups.values()) {
    if (group.pure && truthSizes.get(group.truth) === group.size) correct += group.size;
  }
  return correct / predicted.length;
}

function countBy(values: readonly unknown[]): Map<unknown, number> {
  const counts = new Map<unknown, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
