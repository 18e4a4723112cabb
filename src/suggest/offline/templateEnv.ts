/**
 * What every template receives: the input plus the resolved vibe and phrase table, built once per
 * draft so templates stay small functions of facts.
 */
import type { SuggestionDraft, SuggestionInput } from '../types.js';
import { type ResolvedVibe, resolveVibe } from '../vibe.js';
import { type ShopifyText, shopifyText } from './text/shopifyText.js';

export interface TemplateEnv {
  input: SuggestionInput;
  v: ResolvedVibe;
  t: ShopifyText;
}

export type Template = (env: TemplateEnv) => SuggestionDraft;

export function templateEnv(input: SuggestionInput): TemplateEnv {
  const v = resolveVibe(input.profile, input.vibe);
  return { input, v, t: shopifyText(v.language) };
}
