// A small, safe Markdown subset for suggestion bodies: headings, paragraphs, bullet, numbered and
// check lists, pipe tables, fenced and inline code, bold, italic, block quotes and http(s) links.
// It builds DOM nodes directly: untrusted text only ever becomes text nodes, so no markup in a
// body (<script>, <img onerror>, javascript: links) can run or render.

const FENCE = /^\s*(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const ORDERED = /^\s*(\d{1,9})[.)]\s+(.*)$/;
const TASK = /^\[([ xX])\]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const TABLE_SEP = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const SAFE_URL = /^(https?:\/\/|mailto:)/i;

/** Renders Markdown to a DocumentFragment. headingOffset shifts # to h(1+offset). */
export function renderMarkdown(text, { headingOffset = 2 } = {}) {
  const frag = document.createDocumentFragment();
  const lines = String(text ?? '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  let i = 0;
  const isBlank = (l) => l.trim() === '';
  const startsBlock = (l, next) =>
    FENCE.test(l) ||
    HEADING.test(l) ||
    BULLET.test(l) ||
    ORDERED.test(l) ||
    QUOTE.test(l) ||
    RULE.test(l) ||
    isTableStart(l, next);

  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      i++;
      continue;
    }

    const fence = FENCE.exec(line);
    if (fence) {
      const body = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      i++; // closing fence (or end of text)
      const code = el('code', body.join('\n'));
      if (fence[2]) code.className = `language-${fence[2]}`;
      frag.append(el('pre', code));
      continue;
    }

    const heading = HEADING.exec(line);
    if (heading) {
      const level = Math.min(6, heading[1].length + headingOffset);
      frag.append(withInline(document.createElement(`h${level}`), heading[2]));
      i++;
      continue;
    }

    if (RULE.test(line)) {
      frag.append(document.createElement('hr'));
      i++;
      continue;
    }

    if (isTableStart(line, lines[i + 1])) {
      const table = document.createElement('table');
      const head = table.createTHead().insertRow();
      for (const cell of splitRow(line)) head.append(withInline(document.createElement('th'), cell));
      i += 2;
      const body = table.createTBody();
      while (i < lines.length && lines[i].includes('|') && !isBlank(lines[i])) {
        const row = body.insertRow();
        for (const cell of splitRow(lines[i])) withInline(row.insertCell(), cell);
        i++;
      }
      const wrap = el('div', table);
      wrap.className = 'table-wrap';
      frag.append(wrap);
      continue;
    }

    if (BULLET.test(line) || ORDERED.test(line)) {
      const ordered = !BULLET.test(line);
      const list = document.createElement(ordered ? 'ol' : 'ul');
      const first = ORDERED.exec(line);
      if (ordered && first && first[1] !== '1') list.start = Number(first[1]);
      while (i < lines.length) {
        const m = ordered ? ORDERED.exec(lines[i]) : BULLET.exec(lines[i]);
        if (!m) {
          // A continuation line (indented, not a new block) belongs to the previous item.
          if (!isBlank(lines[i]) && /^\s{2,}\S/.test(lines[i]) && list.lastElementChild) {
            list.lastElementChild.append(' ', ...inline(lines[i].trim()));
            i++;
            continue;
          }
          break;
        }
        const content = ordered ? m[2] : m[1];
        const li = document.createElement('li');
        const task = TASK.exec(content);
        if (task) {
          li.className = 'task';
          const box = document.createElement('input');
          box.type = 'checkbox';
          box.disabled = true;
          box.checked = task[1] !== ' ';
          box.setAttribute('aria-label', box.checked ? 'done' : 'to do');
          li.append(box, ' ', ...inline(task[2]));
        } else {
          li.append(...inline(content));
        }
        list.append(li);
        i++;
      }
      frag.append(list);
      continue;
    }

    if (QUOTE.test(line)) {
      const quoted = [];
      while (i < lines.length && QUOTE.test(lines[i])) quoted.push(QUOTE.exec(lines[i++])[1]);
      frag.append(el('blockquote', renderMarkdown(quoted.join('\n'), { headingOffset })));
      continue;
    }

    // A paragraph: consecutive lines until a blank line or another block; line breaks are kept.
    const p = document.createElement('p');
    let firstLine = true;
    while (i < lines.length && !isBlank(lines[i]) && (firstLine || !startsBlock(lines[i], lines[i + 1]))) {
      if (!firstLine) p.append(document.createElement('br'));
      p.append(...inline(lines[i].trim()));
      firstLine = false;
      i++;
    }
    frag.append(p);
  }
  return frag;
}

function el(tag, ...children) {
  const e = document.createElement(tag);
  for (const c of children) e.append(c);
  return e;
}

function withInline(e, text) {
  e.append(...inline(text));
  return e;
}

function isTableStart(line, next) {
  return line.includes('|') && next !== undefined && TABLE_SEP.test(next) && next.includes('-');
}

/** Cells of a pipe-table row; `\|` is a literal pipe. */
function splitRow(line) {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === '|') {
      cur += '\\|';
      i++;
      continue;
    }
    if (s[i] === '|') {
      cells.push(cur.trim());
      cur = '';
      continue;
    }
    cur += s[i];
  }
  cells.push(cur.trim());
  return cells;
}

const ESCAPABLE = /[\\`*_{}[\]()#+\-.!|>~]/;

/** Inline Markdown to an array of nodes. */
export function inline(text) {
  const out = [];
  let buf = '';
  const flush = () => {
    if (buf) out.push(document.createTextNode(buf));
    buf = '';
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length && ESCAPABLE.test(text[i + 1])) {
      buf += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      let n = 0;
      while (text[i + n] === '`') n++;
      const ticks = '`'.repeat(n);
      let close = text.indexOf(ticks, i + n);
      while (close !== -1 && text[close + n] === '`') close = text.indexOf(ticks, close + n + 1);
      if (close !== -1) {
        flush();
        let code = text.slice(i + n, close);
        if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ')) code = code.slice(1, -1);
        out.push(el('code', code));
        i = close + n;
        continue;
      }
      buf += ticks;
      i += n;
      continue;
    }
    if ((ch === '*' || ch === '_') && text[i + 1] === ch) {
      const delim = ch + ch;
      const close = text.indexOf(delim, i + 2);
      if (close > i + 2 && text[i + 2] !== ' ') {
        flush();
        out.push(withInline(document.createElement('strong'), text.slice(i + 2, close)));
        i = close + 2;
        continue;
      }
    }
    // Italic with * anywhere, with _ only at word boundaries (snake_case names stay as they are).
    if (
      (ch === '*' || (ch === '_' && !/\w/.test(text[i - 1] ?? ''))) &&
      text[i + 1] &&
      text[i + 1] !== ' ' &&
      text[i + 1] !== ch
    ) {
      let close = text.indexOf(ch, i + 1);
      if (ch === '_') while (close !== -1 && /\w/.test(text[close + 1] ?? '')) close = text.indexOf(ch, close + 1);
      if (close > i + 1 && text[close - 1] !== ' ') {
        flush();
        out.push(withInline(document.createElement('em'), text.slice(i + 1, close)));
        i = close + 1;
        continue;
      }
    }
    if (ch === '[') {
      const m = /^\[([^\]\n]+)\]\(([^()\s]+)\)/.exec(text.slice(i));
      if (m && SAFE_URL.test(m[2])) {
        flush();
        const a = withInline(document.createElement('a'), m[1]);
        a.href = m[2];
        a.rel = 'noopener noreferrer nofollow';
        a.target = '_blank';
        out.push(a);
        i += m[0].length;
        continue;
      }
    }
    buf += ch;
    i++;
  }
  flush();
  return out;
}
