import { parser } from '@prometheus-io/lezer-promql';

import {
  describeType,
  isComparison,
  unwrapParens,
  valueTypeOf,
  type AggregationOp,
  type BinaryOp,
  type Expr,
  type MatrixSelector,
  type RangeFunctionName,
  type ValueType,
  type VectorMatching,
  type VectorSelector,
} from './ast.ts';
import { parseDuration } from './duration.ts';
import { badData, parseError, type PromQLError } from './errors.ts';
import { METRIC_NAME } from './labels.ts';
import { parseNumberLiteral, unquoteString } from './literals.ts';
import { newLabelMatcher, type LabelMatcher, type MatchType } from './matchers.ts';
import {
  children,
  expressionChildren,
  firstErrorNode,
  requiredChild,
  type SyntaxNode,
} from './syntax-tree.ts';

const RANGE_FUNCTIONS: ReadonlySet<string> = new Set<RangeFunctionName>([
  'rate',
  'increase',
  'avg_over_time',
  'max_over_time',
  'min_over_time',
  'sum_over_time',
  'count_over_time',
]);

const AGGREGATIONS: ReadonlySet<string> = new Set<AggregationOp>([
  'sum',
  'avg',
  'max',
  'min',
  'count',
  'topk',
  'bottomk',
]);

const BINARY_OPERATORS: Readonly<Record<string, BinaryOp>> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
};

const SET_OPERATORS: Readonly<Record<string, string>> = { And: 'and', Or: 'or', Unless: 'unless' };

const MATCH_OPERATORS: Readonly<Record<string, MatchType>> = {
  EqlSingle: '=',
  Neq: '!=',
  EqlRegex: '=~',
  NeqRegex: '!~',
};

/**
 * Parses PromQL into our AST with Prometheus's checks and messages (`1:6: parse error: expected type
 * range vector in call to function "rate", got instant vector`). Constructs the engine does not evaluate
 * are rejected here, by name, as bad_data.
 */
export function parsePromQL(query: string): Expr {
  return new QueryParser(query).parse();
}

/** A `match[]` parameter: a plain series selector such as `up{job="node"}`, without offset. */
export function parseSeriesSelector(text: string): LabelMatcher[] {
  const expr = parsePromQL(text);
  if (expr.kind !== 'vectorSelector' || expr.offsetMs !== 0) {
    throw badData(
      `1:1: parse error: expected a series selector such as up{job="node"}, got ${JSON.stringify(text)}`,
    );
  }
  return [...expr.matchers];
}

class QueryParser {
  private readonly query: string;

  constructor(query: string) {
    this.query = query;
  }

  parse(): Expr {
    if (this.query.trim() === '')
      throw badData('unknown position: parse error: no expression found in input');
    const top = parser.parse(this.query).topNode;
    const broken = firstErrorNode(top);
    if (broken) throw this.syntaxError(broken);
    const [root] = expressionChildren(top);
    if (!root) throw badData('unknown position: parse error: no expression found in input');
    return this.expr(root);
  }

  private expr(node: SyntaxNode): Expr {
    switch (node.name) {
      case 'NumberDurationLiteral':
        return { kind: 'number', value: this.number(node) };
      case 'StringLiteral':
        return { kind: 'string', value: this.string(node) };
      case 'VectorSelector':
        return this.vectorSelector(node, 0);
      case 'MatrixSelector':
        return this.matrixSelector(node, 0);
      case 'OffsetExpr':
        return this.offset(node);
      case 'FunctionCall':
        return this.functionCall(node);
      case 'AggregateExpr':
        return this.aggregation(node);
      case 'BinaryExpr':
        return this.binary(node);
      case 'UnaryExpr':
        return this.unary(node);
      case 'ParenExpr':
        return { kind: 'paren', expr: this.expr(this.onlyExpression(node)) };
      case 'SubqueryExpr':
        throw this.unsupported(node.getChild('DurationExpr') ?? node, 'subqueries are');
      case 'StepInvariantExpr':
        throw this.unsupported(node.getChild('At') ?? node, 'the @ modifier is');
      case 'AnchoredExpr':
        throw this.unsupported(node, 'the anchored modifier is');
      case 'SmoothedExpr':
        throw this.unsupported(node, 'the smoothed modifier is');
      default:
        throw this.error(node, `unexpected ${node.name}`);
    }
  }

  private vectorSelector(node: SyntaxNode, offsetMs: number): VectorSelector {
    const identifier = node.getChild('Identifier');
    let name = identifier ? this.text(identifier) : undefined;
    const matchers: LabelMatcher[] = [];
    for (const child of children(node.getChild('LabelMatchers'))) {
      if (child.name === 'QuotedLabelName') {
        const quotedName = this.string(requiredChild(child, 'StringLiteral'));
        if (name !== undefined) throw this.metricNameTwice(node, name, quotedName);
        name = quotedName;
        continue;
      }
      if (child.name !== 'UnquotedLabelMatcher' && child.name !== 'QuotedLabelMatcher') continue;
      const nameNode =
        child.getChild('LabelName') ??
        requiredChild(requiredChild(child, 'QuotedLabelName'), 'StringLiteral');
      const labelName = nameNode.name === 'LabelName' ? this.text(nameNode) : this.string(nameNode);
      const operator = MATCH_OPERATORS[requiredChild(child, 'MatchOp').firstChild?.name ?? ''];
      if (operator === undefined) throw this.error(child, 'unknown label matching operator');
      const value = this.string(requiredChild(child, 'StringLiteral'));
      if (labelName === METRIC_NAME && identifier)
        throw this.metricNameTwice(node, this.text(identifier), value);
      matchers.push(this.matcher(child, operator, labelName, value));
    }
    if (name !== undefined) matchers.unshift(newLabelMatcher('=', METRIC_NAME, name));
    if (matchers.every((matcher) => matcher.matches(''))) {
      throw this.error(node, 'vector selector must contain at least one non-empty matcher');
    }
    return { kind: 'vectorSelector', name, matchers, offsetMs };
  }

  private matcher(node: SyntaxNode, type: MatchType, name: string, value: string): LabelMatcher {
    try {
      return newLabelMatcher(type, name, value);
    } catch (error) {
      throw this.error(node, (error as Error).message);
    }
  }

  private metricNameTwice(node: SyntaxNode, first: string, second: string): PromQLError {
    return this.error(
      node,
      `metric name must not be set twice: ${JSON.stringify(first)} or ${JSON.stringify(second)}`,
    );
  }

  private matrixSelector(node: SyntaxNode, offsetMs: number): MatrixSelector {
    const inner = this.onlyExpression(node);
    const duration = requiredChild(node, 'DurationExpr');
    const bracket = this.query.lastIndexOf('[', duration.from);
    if (inner.name === 'OffsetExpr' && this.onlyExpression(inner).name === 'VectorSelector') {
      throw this.errorAt(bracket, 'no offset modifiers allowed before range');
    }
    if (inner.name === 'StepInvariantExpr')
      throw this.unsupported(inner.getChild('At') ?? inner, 'the @ modifier is');
    if (inner.name === 'UnaryExpr' && this.onlyExpression(inner).name === 'VectorSelector') {
      // Lezer reads `-x[5m]` as `(-x)[5m]`; Prometheus as `-(x[5m])`, and rejects that.
      throw this.error(
        inner,
        'unary expression only allowed on expressions of type scalar or instant vector, got "range vector"',
      );
    }
    if (inner.name !== 'VectorSelector')
      throw this.errorAt(bracket, 'ranges only allowed for vector selectors');
    const rangeMs = this.duration(duration);
    if (rangeMs <= 0) throw this.error(duration, 'duration must be greater than 0');
    return { kind: 'matrixSelector', selector: this.vectorSelector(inner, offsetMs), rangeMs };
  }

  private offset(node: SyntaxNode): Expr {
    const inner = this.onlyExpression(node);
    const offsetMs = this.duration(requiredChild(node, 'OffsetDurationExpr'));
    switch (inner.name) {
      case 'VectorSelector':
        return this.vectorSelector(inner, offsetMs);
      case 'MatrixSelector':
        return this.matrixSelector(inner, offsetMs);
      case 'OffsetExpr':
        throw this.error(requiredChild(node, 'Offset'), 'offset may not be set multiple times');
      case 'SubqueryExpr':
      case 'StepInvariantExpr':
        return this.expr(inner);
      default:
        throw this.error(
          inner,
          'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
        );
    }
  }

  /** A range or offset: `5m`, `1h30m`, or a number of seconds (`90`, `1.5`), optionally signed for offsets. */
  private duration(node: SyntaxNode): number {
    const first = node.firstChild;
    if (first?.name === 'UnaryOp') {
      const operand = first.nextSibling;
      if (!operand || operand.name !== node.name) throw this.unsupported(node, 'duration expressions are');
      const magnitude = this.duration(operand);
      return this.text(first) === '-' ? -magnitude : magnitude;
    }
    const literal = node.firstChild;
    if (!literal || literal.name !== 'NumberDurationLiteralInDurationContext' || literal.nextSibling) {
      throw this.unsupported(node, 'duration expressions are');
    }
    const text = this.text(literal);
    if (/^\d+[a-z]/.test(text)) {
      try {
        return parseDuration(text);
      } catch (error) {
        throw this.error(literal, (error as Error).message);
      }
    }
    const seconds = parseNumberLiteral(text);
    if (!Number.isFinite(seconds)) throw this.error(literal, `invalid duration ${JSON.stringify(text)}`);
    return Math.trunc(seconds * 1000);
  }

  private functionCall(node: SyntaxNode): Expr {
    const identifier = requiredChild(node, 'FunctionIdentifier');
    const name = this.text(identifier);
    if (!RANGE_FUNCTIONS.has(name))
      throw this.unsupported(identifier, `the function ${JSON.stringify(name)} is`);
    const args = expressionChildren(requiredChild(node, 'FunctionCallBody'));
    if (args.length !== 1) {
      throw this.error(node, `expected 1 argument(s) in call to ${JSON.stringify(name)}, got ${args.length}`);
    }
    const argNode = args[0] as SyntaxNode;
    const arg = unwrapParens(this.expr(argNode));
    this.expectType(argNode, valueTypeOf(arg), 'matrix', `call to function ${JSON.stringify(name)}`);
    if (arg.kind !== 'matrixSelector') throw this.error(argNode, 'expected a range vector selector');
    return { kind: 'call', func: name as RangeFunctionName, arg };
  }

  private aggregation(node: SyntaxNode): Expr {
    const opNode = requiredChild(node, 'AggregateOp');
    const op = this.text(opNode).toLowerCase();
    if (!AGGREGATIONS.has(op)) throw this.unsupported(opNode, `the aggregation ${JSON.stringify(op)} is`);
    const args = expressionChildren(requiredChild(node, 'FunctionCallBody'));
    if (args.length === 0) throw this.error(node, 'no arguments for aggregate expression provided');
    const wanted = op === 'topk' || op === 'bottomk' ? 2 : 1;
    if (args.length !== wanted) {
      throw this.error(
        node,
        `wrong number of arguments for aggregate expression provided, expected ${wanted}, got ${args.length}`,
      );
    }
    const exprNode = args[wanted - 1] as SyntaxNode;
    const paramNode = wanted === 2 ? args[0] : undefined;
    const expr = this.expr(exprNode);
    this.expectType(exprNode, valueTypeOf(expr), 'vector', 'aggregation expression');
    let param: Expr | undefined;
    if (paramNode) {
      param = this.expr(paramNode);
      this.expectType(paramNode, valueTypeOf(param), 'scalar', 'aggregation parameter');
    }
    const modifier = node.getChild('AggregateModifier');
    return {
      kind: 'aggregation',
      op: op as AggregationOp,
      expr,
      param,
      grouping: modifier ? this.groupingLabels(requiredChild(modifier, 'GroupingLabels')) : [],
      without: modifier !== null && modifier.getChild('Without') !== null,
    };
  }

  private groupingLabels(node: SyntaxNode): string[] {
    return children(node)
      .filter((child) => child.name === 'LabelName' || child.name === 'QuotedLabelName')
      .map((child) =>
        child.name === 'LabelName' ? this.text(child) : this.string(requiredChild(child, 'StringLiteral')),
      );
  }

  private binary(node: SyntaxNode): Expr {
    const [lhsNode, rhsNode] = expressionChildren(node) as [SyntaxNode, SyntaxNode];
    const opNode = children(node).find(
      (child) =>
        child.name in BINARY_OPERATORS ||
        child.name in SET_OPERATORS ||
        child.name === 'TrimUpper' ||
        child.name === 'TrimLower',
    );
    if (!opNode) throw this.error(node, 'binary expression without an operator');
    const setOperator = SET_OPERATORS[opNode.name];
    if (setOperator !== undefined)
      throw this.unsupported(opNode, `the set operator ${JSON.stringify(setOperator)} is`);
    const op = BINARY_OPERATORS[opNode.name];
    if (op === undefined)
      throw this.unsupported(opNode, `the operator ${JSON.stringify(this.text(opNode))} is`);
    if (node.getChild('FillModifier'))
      throw this.unsupported(requiredChild(node, 'FillModifier'), 'fill modifiers are');
    const matching = this.matching(node.getChild('MatchingModifierClause'));
    const returnBool = node.getChild('BoolModifier') !== null;

    if (op === '^' && lhsNode.name === 'NumberDurationLiteral' && /^[+-]/.test(this.text(lhsNode))) {
      return this.signedBase(node, lhsNode, rhsNode, returnBool, matching);
    }

    const lhs = this.expr(lhsNode);
    const rhs = this.expr(rhsNode);
    const lhsType = valueTypeOf(lhs);
    const rhsType = valueTypeOf(rhs);
    if (returnBool && !isComparison(op)) {
      throw this.error(opNode, 'bool modifier can only be used on comparison operators');
    }
    if (isComparison(op) && !returnBool && lhsType === 'scalar' && rhsType === 'scalar') {
      throw this.error(opNode, 'comparisons between scalars must use BOOL modifier');
    }
    if (lhsType !== 'scalar' && lhsType !== 'vector') {
      throw this.error(lhsNode, 'binary expression must contain only scalar and instant vector types');
    }
    if (rhsType !== 'scalar' && rhsType !== 'vector') {
      throw this.error(rhsNode, 'binary expression must contain only scalar and instant vector types');
    }
    if ((lhsType !== 'vector' || rhsType !== 'vector') && matching.labels.length > 0) {
      throw this.error(node, 'vector matching only allowed between instant vectors');
    }
    return { kind: 'binary', op, lhs, rhs, returnBool, matching };
  }

  /**
   * Lezer reads `-2 ^ 2` as `(-2) ^ 2`; Prometheus binds the sign more loosely than `^` and gives -4, so
   * the sign moves outside.
   */
  private signedBase(
    node: SyntaxNode,
    lhsNode: SyntaxNode,
    rhsNode: SyntaxNode,
    returnBool: boolean,
    matching: VectorMatching,
  ): Expr {
    const text = this.text(lhsNode);
    const base: Expr = { kind: 'number', value: parseNumberLiteral(text.slice(1)) };
    const rhs = this.expr(rhsNode);
    const rhsType = valueTypeOf(rhs);
    if (rhsType !== 'scalar' && rhsType !== 'vector') {
      throw this.error(rhsNode, 'binary expression must contain only scalar and instant vector types');
    }
    if (returnBool) throw this.error(node, 'bool modifier can only be used on comparison operators');
    const power: Expr = { kind: 'binary', op: '^', lhs: base, rhs, returnBool, matching };
    return { kind: 'unary', op: text.startsWith('-') ? '-' : '+', expr: power };
  }

  private matching(clause: SyntaxNode | null): VectorMatching {
    if (!clause) return { on: false, labels: [] };
    const grouping = clause.getChild('GroupLeft') ?? clause.getChild('GroupRight');
    if (grouping) throw this.unsupported(grouping, `${this.text(grouping).toLowerCase()} is`);
    return {
      on: clause.getChild('On') !== null,
      labels: this.groupingLabels(requiredChild(clause, 'GroupingLabels')),
    };
  }

  private unary(node: SyntaxNode): Expr {
    const operand = this.onlyExpression(node);
    const expr = this.expr(operand);
    const type = valueTypeOf(expr);
    if (type !== 'scalar' && type !== 'vector') {
      throw this.error(
        node,
        `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(describeType(type))}`,
      );
    }
    return { kind: 'unary', op: this.text(requiredChild(node, 'UnaryOp')) === '-' ? '-' : '+', expr };
  }

  private expectType(node: SyntaxNode, got: ValueType, wanted: ValueType, context: string): void {
    if (got !== wanted) {
      throw this.error(node, `expected type ${describeType(wanted)} in ${context}, got ${describeType(got)}`);
    }
  }

  private number(node: SyntaxNode): number {
    try {
      return parseNumberLiteral(this.text(node));
    } catch (error) {
      throw this.error(node, (error as Error).message);
    }
  }

  private string(node: SyntaxNode): string {
    try {
      return unquoteString(this.text(node));
    } catch (error) {
      throw this.error(node, (error as Error).message);
    }
  }

  private onlyExpression(node: SyntaxNode): SyntaxNode {
    const [inner] = expressionChildren(node);
    if (!inner) throw this.error(node, 'expected an expression');
    return inner;
  }

  private syntaxError(broken: SyntaxNode): PromQLError {
    let at = broken.from;
    while (at < this.query.length && /\s/.test(this.query[at] ?? '')) at++;
    const calledName = /([A-Za-z_:][A-Za-z0-9_:]*)\s*$/.exec(this.query.slice(0, at));
    if (this.query[at] === '(' && calledName) {
      return this.errorAt(calledName.index, `unknown function with name ${JSON.stringify(calledName[1])}`);
    }
    if (at >= this.query.length) {
      const openBraces = (this.query.match(/\{/g) ?? []).length - (this.query.match(/\}/g) ?? []).length;
      return this.errorAt(at, `unexpected end of input${openBraces > 0 ? ' inside braces' : ''}`);
    }
    return this.errorAt(at, `unexpected ${describeToken(this.query.slice(at))}`);
  }

  private unsupported(node: SyntaxNode, what: string): PromQLError {
    return this.error(node, `${what} not supported by Lookout's PromQL engine`);
  }

  private error(node: SyntaxNode, message: string): PromQLError {
    return this.errorAt(node.from, message);
  }

  private errorAt(offset: number, message: string): PromQLError {
    return parseError(this.query, offset, message);
  }

  private text(node: SyntaxNode): string {
    return this.query.slice(node.from, node.to);
  }
}

function describeToken(rest: string): string {
  const identifier = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(rest);
  if (identifier) return `identifier ${JSON.stringify(identifier[0])}`;
  const number = /^[0-9.][0-9a-zA-Z._]*/.exec(rest);
  if (number) return `number ${JSON.stringify(number[0])}`;
  if (/^["'`]/.test(rest)) return 'string';
  return `character: '${rest[0] ?? ''}'`;
}
