import type { Aggregation } from './ast.ts';
import type { StepSeries } from './grid.ts';
import { dropLabels, keepLabels, labelsKey, labelValue, METRIC_NAME, type Labels } from './labels.ts';

/** Which output group each input series belongs to, and each group's labels. */
export interface Grouping {
  readonly groupOf: Int32Array;
  readonly labels: Labels[];
}

/** Groups for `by (...)` (labels kept: the listed ones) or `without (...)` (all others but the name). */
export function groupSeries(node: Aggregation, input: StepSeries[]): Grouping {
  const dropped = new Set([...node.grouping, METRIC_NAME]);
  const indexByKey = new Map<string, number>();
  const groupOf = new Int32Array(input.length);
  const labels: Labels[] = [];
  input.forEach((series, index) => {
    // With `by`, the group's labels are made only for a series that starts a group.
    const dropping = node.without ? dropLabels(series.labels, dropped) : null;
    const key =
      dropping === null
        ? JSON.stringify(node.grouping.map((name) => labelValue(series.labels, name)))
        : labelsKey(dropping);
    let group = indexByKey.get(key);
    if (group === undefined) {
      group = labels.length;
      indexByKey.set(key, group);
      labels.push(dropping ?? keepLabels(series.labels, node.grouping));
    }
    groupOf[index] = group;
  });
  return { groupOf, labels };
}
