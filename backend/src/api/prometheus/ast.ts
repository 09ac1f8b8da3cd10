import type { LabelMatcher } from './matchers.ts';

/** Our own PromQL syntax tree: only what the engine evaluates, already type-checked by parse.ts. */
export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | FunctionCall
  | Aggregation
  | BinaryExpr
  | UnaryExpr
  | ParenExpr;

/** Prometheus's value types; `matrix` is a range vector. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

export interface NumberLiteral {
  readonly kind: 'number';
  readonly value: number;
}

export interface StringLiteral {
  readonly kind: 'string';
  readonly value: string;
}

export interface VectorSelector {
  readonly kind: 'vectorSelector';
  /** The metric name when written before the braces; it is also among `matchers`. */
  readonly name: string | undefined;
  readonly matchers: readonly LabelMatcher[];
  readonly offsetMs: number;
}

export interface MatrixSelector {
  readonly kind: 'matrixSelector';
  readonly selector: VectorSelector;
  readonly rangeMs: number;
}

export type RangeFunctionName =
  | 'rate'
  | 'increase'
  | 'avg_over_time'
  | 'max_over_time'
  | 'min_over_time'
  | 'sum_over_time'
  | 'count_over_time';

export interface FunctionCall {
  readonly kind: 'call';
  readonly func: RangeFunctionName;
  readonly arg: MatrixSelector;
}

export type AggregationOp = 'sum' | 'avg' | 'max' | 'min' | 'count' | 'topk' | 'bottomk';

export interface Aggregation {
  readonly kind: 'aggregation';
  readonly op: AggregationOp;
  readonly expr: Expr;
  /** k of topk/bottomk. */
  readonly param: Expr | undefined;
  readonly grouping: readonly string[];
  readonly without: boolean;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type BinaryOp = ArithmeticOp | ComparisonOp;

/** How series of two vectors pair up: `on (labels)` or, by default, `ignoring (labels)`. */
export interface VectorMatching {
  readonly on: boolean;
  readonly labels: readonly string[];
}

export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly returnBool: boolean;
  readonly matching: VectorMatching;
}

export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: '+' | '-';
  readonly expr: Expr;
}

export interface ParenExpr {
  readonly kind: 'paren';
  readonly expr: Expr;
}

export function isComparison(op: BinaryOp): op is ComparisonOp {
  return op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=';
}

export function valueTypeOf(expr: Expr): ValueType {
  switch (expr.kind) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vectorSelector':
    case 'call':
    case 'aggregation':
      return 'vector';
    case 'matrixSelector':
      return 'matrix';
    case 'binary':
      return valueTypeOf(expr.lhs) === 'scalar' && valueTypeOf(expr.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'unary':
    case 'paren':
      return valueTypeOf(expr.expr);
  }
}

/** How Prometheus names the types in its messages. */
export function describeType(type: ValueType): string {
  switch (type) {
    case 'scalar':
      return 'scalar';
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    case 'string':
      return 'string';
  }
}

export function unwrapParens(expr: Expr): Expr {
  return expr.kind === 'paren' ? unwrapParens(expr.expr) : expr;
}
