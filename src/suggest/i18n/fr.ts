import type { Catalogue } from './catalogue.js';
import { en } from './en.js';

export const fr: Catalogue = { ...en, language: 'fr' };
