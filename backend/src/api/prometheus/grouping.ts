import type { Aggregation } from './ast.ts';
import type { StepSeries } from './grid.ts';
import { dropLabels, keepLabels, labelsKey, labelValue, METRIC_NAME, type Labels } from './labels.ts';

/** Which output group each input series belongs to, and each group's labels. */
export interface Grouping {
  readonly groupOf: Int32Array;
  readonly labels: Labels[];
}

/**
 * Groups for `by (...)` (labels kept: the listed ones) or `without (...)` (all others but the name),
 * numbered in the order their first series comes.
 */
export class Grouper {
  readonly labels: Labels[] = [];
  private readonly indexByKey = new Map<string, number>();
  private readonly dropped: ReadonlySet<string> | null;

  constructor(private readonly node: Aggregation) {
    this.dropped = node.without ? new Set([...node.grouping, METRIC_NAME]) : null;
  }

  groupOf(series: Labels): number {
    const { grouping } = this.node;
    // With `by`, the group's labels are made only for a series that starts a group.
    const dropping = this.dropped === null ? null : dropLabels(series, this.dropped);
    let key: string;
    if (dropping !== null) key = labelsKey(dropping);
    else if (grouping.length === 1) key = labelValue(series, grouping[0] as string);
    else key = JSON.stringify(grouping.map((name) => labelValue(series, name)));
    let group = this.indexByKey.get(key);
    if (group === undefined) {
      group = this.labels.length;
      this.indexByKey.set(key, group);
      this.labels.push(dropping ?? keepLabels(series, grouping));
    }
    return group;
  }
}

export function groupSeries(node: Aggregation, input: StepSeries[]): Grouping {
  const grouper = new Grouper(node);
  const groupOf = Int32Array.from(input, (series) => grouper.groupOf(series.labels));
  return { groupOf, labels: grouper.labels };
}
