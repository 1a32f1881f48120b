// Side-by-side line diff (longest common subsequence) of two texts, as aligned rows.
// Each row: {left: lineIndex|null, right: lineIndex|null, kind: "same"|"removed"|"added"|"changed"}.
export const MAX_DIFF_LINES = 4000;

export function diffLines(a, b) {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_DIFF_LINES * MAX_DIFF_LINES) {
    // too large for the table: show both sides without alignment
    return Array.from({ length: Math.max(n, m) }, (_, i) => ({ left: i < n ? i : null, right: i < m ? i : null, kind: "changed" }));
  }
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const rows = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) rows.push({ left: i++, right: j++, kind: "same" });
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) rows.push({ left: i++, right: null, kind: "removed" });
    else rows.push({ left: null, right: j++, kind: "added" });
  }
  // pair a run of removals with the run of additions right after it: one "changed" row each
  const paired = [];
  for (let k = 0; k < rows.length; ) {
    if (rows[k].kind !== "removed") {
      paired.push(rows[k++]);
      continue;
    }
    const removed = [];
    while (k < rows.length && rows[k].kind === "removed") removed.push(rows[k++]);
    const added = [];
    while (k < rows.length && rows[k].kind === "added") added.push(rows[k++]);
    for (let x = 0; x < Math.max(removed.length, added.length); x++) {
      const l = removed[x];
      const r = added[x];
      paired.push({ left: l ? l.left : null, right: r ? r.right : null, kind: l && r ? "changed" : l ? "removed" : "added" });
    }
  }
  return paired;
}

// The 0-based line of a character offset.
export function lineOf(text, offset) {
  let line = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}
