import type { parser } from '@prometheus-io/lezer-promql';

import { badData } from './errors.ts';

/** A node of the syntax tree that lezer-promql (the grammar of Prometheus's and Grafana's editors) builds. */
export type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** Node names that are expressions; the other children of a node are tokens and modifiers. */
const EXPRESSION_NODES = new Set([
  'AggregateExpr',
  'AnchoredExpr',
  'BinaryExpr',
  'FunctionCall',
  'MatrixSelector',
  'NumberDurationLiteral',
  'OffsetExpr',
  'ParenExpr',
  'SmoothedExpr',
  'StepInvariantExpr',
  'StringLiteral',
  'SubqueryExpr',
  'UnaryExpr',
  'VectorSelector',
]);

export function children(node: SyntaxNode | null): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (let child = node?.firstChild ?? null; child; child = child.nextSibling) found.push(child);
  return found;
}

export function expressionChildren(node: SyntaxNode): SyntaxNode[] {
  return children(node).filter((child) => EXPRESSION_NODES.has(child.name));
}

export function requiredChild(node: SyntaxNode, name: string): SyntaxNode {
  const found = node.getChild(name);
  if (!found) throw badData(`malformed query: expected ${name}`);
  return found;
}

export function firstErrorNode(top: SyntaxNode): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  top.cursor().iterate((ref) => {
    if (found) return false;
    if (ref.type.isError) {
      found = ref.node;
      return false;
    }
    return undefined;
  });
  return found;
}
