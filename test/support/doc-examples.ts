/**
 * The executable docs: a page's `sh` blocks that call the gateway (`$GATEWAY`) run in order in
 * one shell, and what the page shows after each is checked against what came back:
 *
 *     ```sh
 *     curl -s "$GATEWAY/v1/payments/$PAYMENT_ID" -H "Authorization: Bearer $MERCHANT_KEY"
 *     ```
 *
 *     → 200
 *
 *     ```json
 *     {"id": "pay_…", "status": "captured", "amount": 1050, …}
 *     ```
 *
 * `→ <status>` is the HTTP status of the block's last call (without it, every call must
 * succeed); the `json` block is the last JSON the block printed, where `…` stands for what
 * varies (`"pay_…"`: a string starting `pay_`; `…` alone in an object or array: more keys or
 * items), timestamps match any timestamp, and everything else must be equal.
 */

export interface DocExample {
  /** 1-based line of the `sh` block in the page, for the failure message. */
  line: number;
  script: string;
  status?: number;
  shown?: string;
}

const FENCE = /^```(\w*)\s*$/;

/** The page's runnable examples, in order: `sh` blocks that reach `$GATEWAY`. */
export function examplesOf(markdown: string): DocExample[] {
  const lines = markdown.split('\n');
  const blocks: { lang: string; line: number; text: string; end: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    blocks.push({ lang: open[1]!, line: start + 1, text: body.join('\n'), end: i });
  }
  const examples: DocExample[] = [];
  blocks.forEach((block, index) => {
    if (block.lang !== 'sh' || !block.text.includes('$GATEWAY')) return;
    const example: DocExample = { line: block.line, script: block.text };
    const next = blocks[index + 1];
    const between = lines.slice(block.end + 1, next ? next.line - 1 : block.end + 1).join('\n');
    const status = /^→ (\d{3})\b/m.exec(between);
    if (status) example.status = Number(status[1]);
    // The shown response belongs to this block only when nothing but the status line is between.
    if (next?.lang === 'json' && between.replace(/^→ .*$/m, '').trim() === '') example.shown = next.text;
    examples.push(example);
  });
  return examples;
}

const ELIDED = Symbol('…');

/** JSON with `…` for what the page leaves out: `, …` and `…` items are dropped, marking the container open. */
export function parseShown(text: string): unknown {
  // Outside strings only: a bare … (with its comma) becomes a marker the comparison reads.
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (inString) {
      out += char;
      if (char === '\\') out += text[++i] ?? '';
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
      out += char;
    } else if (char === '…') {
      out += '"__ELIDED__": 0';
    } else out += char;
  }
  // In arrays the marker must be a value, not a key/value pair.
  out = out.replace(/\[\s*"__ELIDED__": 0/g, '["__ELIDED__"').replace(/,(\s*)"__ELIDED__": 0(\s*)\]/g, ',$1"__ELIDED__"$2]');
  return JSON.parse(out, function (key, value) {
    if (value && typeof value === 'object' && !Array.isArray(value) && '__ELIDED__' in value) {
      delete value.__ELIDED__;
      Object.defineProperty(value, ELIDED, { value: true });
    }
    if (Array.isArray(value) && value.includes('__ELIDED__')) {
      const kept = value.filter((item) => item !== '__ELIDED__');
      Object.defineProperty(kept, ELIDED, { value: true });
      return kept;
    }
    return value;
  });
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Where `actual` departs from what the page shows, as `path: why` lines; empty when it matches. */
export function differences(shown: unknown, actual: unknown, path = '$'): string[] {
  if (typeof shown === 'string' && typeof actual === 'string') {
    if (shown.includes('…')) {
      const [prefix, suffix] = [shown.slice(0, shown.indexOf('…')), shown.slice(shown.lastIndexOf('…') + 1)];
      return actual.startsWith(prefix) && actual.endsWith(suffix) ? [] : [`${path}: "${actual}" is not "${shown}"`];
    }
    if (TIMESTAMP.test(shown)) return TIMESTAMP.test(actual) ? [] : [`${path}: "${actual}" is not a timestamp`];
    return shown === actual ? [] : [`${path}: "${actual}" where the page shows "${shown}"`];
  }
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual)) return [`${path}: ${JSON.stringify(actual)} where the page shows a list`];
    const open = (shown as unknown as Record<symbol, boolean>)[ELIDED] === true;
    if (open ? actual.length < shown.length : actual.length !== shown.length) {
      return [`${path}: ${actual.length} item(s) where the page shows ${shown.length}${open ? ' or more' : ''}`];
    }
    return shown.flatMap((item, index) => differences(item, actual[index], `${path}[${index}]`));
  }
  if (shown !== null && typeof shown === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: ${JSON.stringify(actual)} where the page shows an object`];
    const open = (shown as Record<symbol, boolean>)[ELIDED] === true;
    const problems = Object.entries(shown).flatMap(([key, value]) =>
      key in actual ? differences(value, (actual as Record<string, unknown>)[key], `${path}.${key}`) : [`${path}.${key}: missing from the response`],
    );
    if (!open) {
      for (const key of Object.keys(actual)) if (!(key in shown)) problems.push(`${path}.${key}: in the response, not on the page`);
    }
    return problems;
  }
  return Object.is(shown, actual) ? [] : [`${path}: ${JSON.stringify(actual)} where the page shows ${JSON.stringify(shown)}`];
}

/** The last JSON value a block printed (its output may hold other lines before it). */
export function lastJson(output: string): unknown {
  const text = output.trim();
  const starts = [...text.matchAll(/[{[]/g)].map((match) => match.index).reverse();
  for (const start of starts) {
    try {
      return JSON.parse(text.slice(start));
    } catch {
      // not the start of the last value yet
    }
  }
  throw new Error(`No JSON in the output:\n${output}`);
}
