/** One line of a line-by-line comparison. */
export interface DiffLine {
  op: 'same' | 'add' | 'del';
  text: string;
}

/**
 * Line diff by longest common subsequence: procedures and articles are a few hundred lines at
 * most, so the plain O(n·m) table is fast enough and needs no library.
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.replace(/\r\n/g, '\n').split('\n');
  const b = after.replace(/\r\n/g, '\n').split('\n');
  // Very long texts: show them as removed then added rather than freeze the page.
  if (a.length * b.length > 2_000_000) return [...a.map((text) => ({ op: 'del' as const, text })), ...b.map((text) => ({ op: 'add' as const, text }))];
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ op: 'del', text: a[i++]! });
    else out.push({ op: 'add', text: b[j++]! });
  }
  while (i < n) out.push({ op: 'del', text: a[i++]! });
  while (j < m) out.push({ op: 'add', text: b[j++]! });
  return out;
}

/** Runs of unchanged lines longer than `context` on each side of a change fold into one "n lines unchanged" entry. */
export function foldUnchanged(lines: DiffLine[], context = 2): (DiffLine | { op: 'fold'; count: number })[] {
  const keep = lines.map((l, i) => l.op !== 'same' || lines.slice(Math.max(0, i - context), i + context + 1).some((x) => x.op !== 'same'));
  const out: (DiffLine | { op: 'fold'; count: number })[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (keep[i]) out.push(lines[i]!);
    else {
      const last = out[out.length - 1];
      if (last && last.op === 'fold') last.count++;
      else out.push({ op: 'fold', count: 1 });
    }
  }
  return out;
}
