/** Small Markdown builders, so templates read as content rather than string plumbing. */

export function section(heading: string, body: string): string {
  return `## ${heading}\n\n${body}`;
}

export function bullets(items: readonly string[]): string {
  return items.map((i) => `- ${i}`).join('\n');
}

export function numbered(items: readonly string[]): string {
  return items.map((i, n) => `${n + 1}. ${i}`).join('\n');
}

export function checklist(items: readonly string[]): string {
  return items.map((i) => `- [ ] ${i}`).join('\n');
}

/** Escapes the characters that would break a table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** Inline code that survives backticks inside the text. */
export function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

export function fence(language: string, text: string): string {
  return `\`\`\`${language}\n${text}\n\`\`\``;
}

export function joinSections(parts: ReadonlyArray<string | undefined | false>): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n\n');
}
