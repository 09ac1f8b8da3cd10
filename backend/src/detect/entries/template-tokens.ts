// Lining a message's tokens up with its template's, as the miner tokenised and generalised them.
import { maskToken } from '../../mining/masking.ts';
import { WILDCARD, boundsFor, tokenBounds, tokenText } from '../../mining/tokens.ts';
import type { TemplateState } from './history.ts';
import { ParameterMemory } from './parameters.ts';

/**
 * Reads the message as the miner's `tokenize` does (same cut, same stand-ins for long and cut-off tokens) but
 * copies out only the tokens at `positions` (ascending), into `into` in that order, and stops after the
 * last of them; false when the message ends first (it does not fit its template).
 */
export function tokensAt(
  message: string,
  positions: Uint8Array,
  maxTokens: number,
  maxTokenLength: number,
  into: string[],
): boolean {
  if (positions.length === 0) return true;
  const last = positions[positions.length - 1] as number;
  const bounds = boundsFor(maxTokens);
  if (tokenBounds(message, maxTokens, bounds, Math.min(last + 1, maxTokens)) <= last) return false;
  for (let wanted = 0; wanted < positions.length; wanted++) {
    into[wanted] = tokenText(message, bounds, positions[wanted] as number, maxTokenLength);
  }
  return true;
}

export function sameTokens(known: readonly string[], current: readonly string[]): boolean {
  if (known.length !== current.length) return false;
  for (let index = 0; index < current.length; index++) if (known[index] !== current[index]) return false;
  return true;
}

/**
 * Follows the miner's template as it generalises, as of this entry: the miner may have mined a whole
 * batch, and lines after this one made the template more general than it was here. A token that has
 * just become variable held the same text in every earlier entry, which its parameter memory is told,
 * so the old text is not news later.
 */
export function followTemplate(
  template: TemplateState,
  current: readonly string[],
  values: readonly string[],
): void {
  const known = template.tokens;
  const tokens = current.slice();
  for (let index = 0; index < tokens.length; index++) {
    const now = tokens[index] as string;
    const value = values[index] as string;
    if (!now.includes(WILDCARD)) continue;
    if (known.length !== tokens.length) {
      // First met: a brand-new template is this very line, masked; an older one is what the miner says.
      if (template.count === 0 && !maskToken(value).includes(WILDCARD)) tokens[index] = value;
      continue;
    }
    const before = known[index] as string;
    if (before.includes(WILDCARD)) continue;
    if (value === before) tokens[index] = before;
    else {
      template.parameters ??= new ParameterMemory(tokens.length);
      template.parameters.startPosition(index, before, template.count);
    }
  }
  template.setTokens(tokens);
}
