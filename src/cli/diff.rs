//! Unified diffs of whole lines, for `check --diff` (Myers' algorithm: fast when few lines change).

/// A unified diff of `old` against `new` with three lines of context, or "" when they are equal.
pub fn unified(name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = diff_lines(&a, &b);
    let mut out = format!("--- a/{name}\n+++ b/{name}\n");
    const CONTEXT: usize = 3;
    let changes: Vec<usize> = (0..ops.len())
        .filter(|&i| !matches!(ops[i], Op::Same(..)))
        .collect();
    let mut c = 0;
    while c < changes.len() {
        // A hunk takes changes whose gaps are at most twice the context.
        let mut last = c;
        while last + 1 < changes.len() && changes[last + 1] - changes[last] <= 2 * CONTEXT + 1 {
            last += 1;
        }
        let start = changes[c].saturating_sub(CONTEXT);
        let end = (changes[last] + 1 + CONTEXT).min(ops.len());
        let (a_start, b_start) = positions(&ops[..start]);
        let (a_len, b_len) = positions(&ops[start..end]);
        out.push_str(&format!(
            "@@ -{},{a_len} +{},{b_len} @@\n",
            a_start + 1,
            b_start + 1
        ));
        for op in &ops[start..end] {
            let (mark, line) = match op {
                Op::Same(x, _) => (' ', a[*x]),
                Op::Delete(x) => ('-', a[*x]),
                Op::Insert(y) => ('+', b[*y]),
            };
            out.push(mark);
            out.push_str(line.trim_end_matches(['\n', '\r']));
            out.push('\n');
            if !line.ends_with('\n') {
                out.push_str("\\ No newline at end of file\n");
            }
        }
        c = last + 1;
    }
    out
}

/// How many old and new lines a run of operations covers.
fn positions(ops: &[Op]) -> (usize, usize) {
    let a = ops.iter().filter(|o| !matches!(o, Op::Insert(_))).count();
    let b = ops.iter().filter(|o| !matches!(o, Op::Delete(_))).count();
    (a, b)
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Same(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// The shortest edit script from `a` to `b`.
fn diff_lines(a: &[&str], b: &[&str]) -> Vec<Op> {
    // Common prefix and suffix need no search.
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<Op> = (0..prefix).map(|i| Op::Same(i, i)).collect();
    for op in myers(am, bm) {
        ops.push(match op {
            Op::Same(x, y) => Op::Same(x + prefix, y + prefix),
            Op::Delete(x) => Op::Delete(x + prefix),
            Op::Insert(y) => Op::Insert(y + prefix),
        });
    }
    ops.extend((0..suffix).map(|k| Op::Same(a.len() - suffix + k, b.len() - suffix + k)));
    ops
}

fn myers(a: &[&str], b: &[&str]) -> Vec<Op> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    let offset = max as isize;
    let mut v = vec![0isize; 2 * max + 2];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    'outer: for d in 0..=max as isize {
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let idx = (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
                v[idx + 1]
            } else {
                v[idx - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[idx] = x;
            if x >= n && y >= m {
                break 'outer;
            }
            k += 2;
        }
    }
    // Walk the trace back from the end.
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for (d, v) in trace.iter().enumerate().rev() {
        let d = d as isize;
        let k = x - y;
        let idx = (k + offset) as usize;
        let prev_k = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = v[(prev_k + offset) as usize];
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            ops.push(Op::Same(x as usize, y as usize));
        }
        if d > 0 {
            if x == prev_x {
                ops.push(Op::Insert(prev_y as usize));
            } else {
                ops.push(Op::Delete(prev_x as usize));
            }
        }
        x = prev_x;
        y = prev_y;
    }
    ops.reverse();
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks() {
        let old = "一\n二\n三\n四\n五\n六\n七\n八\n九\n十\n";
        let new = "一\n二\n三\n肆\n五\n六\n七\n八\n九\n十\n十一\n";
        let d = unified("r.txt", old, new);
        // Six unchanged lines between two changes still make one hunk, as with `diff -U3`.
        assert_eq!(
            d,
            "--- a/r.txt\n+++ b/r.txt\n@@ -1,10 +1,11 @@\n 一\n 二\n 三\n-四\n+肆\n 五\n 六\n 七\n 八\n 九\n 十\n+十一\n"
        );
        let long_old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let long_new: String = (1..=20)
            .map(|i| match i {
                2 => "two\n".to_string(),
                19 => "nineteen\n".to_string(),
                _ => format!("{i}\n"),
            })
            .collect();
        let d = unified("n", &long_old, &long_new);
        assert_eq!(d.matches("@@ -").count(), 2, "{d}");
        assert!(
            d.contains("@@ -1,5 +1,5 @@") && d.contains("@@ -16,5 +16,5 @@"),
            "{d}"
        );
        assert_eq!(unified("r", "a", "a"), "");
        let d = unified("r", "a\nb", "a\nc");
        assert!(d.contains("-b\n\\ No newline at end of file\n+c\n"), "{d}");
    }

    #[test]
    fn scripts_rebuild_the_new_text() {
        let cases = [
            ("", "a\n"),
            ("a\nb\nc\n", "c\nb\na\n"),
            ("x\ny\n", ""),
            ("1\n2\n3\n", "1\n3\n4\n"),
        ];
        for (old, new) in cases {
            let a: Vec<&str> = old.split_inclusive('\n').collect();
            let b: Vec<&str> = new.split_inclusive('\n').collect();
            let rebuilt: String = diff_lines(&a, &b)
                .iter()
                .filter_map(|o| match o {
                    Op::Same(_, y) | Op::Insert(y) => Some(b[*y]),
                    Op::Delete(_) => None,
                })
                .collect();
            assert_eq!(rebuilt, new);
        }
    }
}
