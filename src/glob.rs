//! Path patterns for `include` and `exclude`: `*`, `**`, `?` and `[…]` over `/`-separated
//! relative paths. A pattern without a `/` matches a name at any depth, as in `.gitignore`.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    pattern: String,
    tokens: Vec<Token>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `?`: one character other than `/`.
    One,
    /// `*`: any run of characters other than `/`.
    Star,
    /// `**/`, `/**` or `**`: any run of whole path segments.
    Globstar,
    /// `[…]`, with ranges, possibly negated by `!` or `^`.
    Class {
        negated: bool,
        items: Vec<(char, char)>,
    },
}

impl Glob {
    pub fn new(pattern: &str) -> Result<Glob, String> {
        let trimmed = pattern.trim_start_matches("./").trim_end_matches('/');
        if trimmed.is_empty() {
            return Err("an empty pattern matches nothing".into());
        }
        let anchored = trimmed.contains('/');
        let source = if anchored {
            trimmed.trim_start_matches('/').to_string()
        } else {
            format!("**/{trimmed}")
        };
        let chars: Vec<char> = source.chars().collect();
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '*' if chars.get(i + 1) == Some(&'*') => {
                    tokens.push(Token::Globstar);
                    i += 2;
                    if chars.get(i) == Some(&'/') {
                        i += 1;
                    }
                }
                '*' => {
                    tokens.push(Token::Star);
                    i += 1;
                }
                '?' => {
                    tokens.push(Token::One);
                    i += 1;
                }
                '[' => {
                    let close = chars[i + 1..]
                        .iter()
                        .skip(1)
                        .position(|c| *c == ']')
                        .map(|p| i + 2 + p)
                        .ok_or_else(|| format!("unclosed `[` in pattern `{pattern}`"))?;
                    let mut body = &chars[i + 1..close];
                    let negated = matches!(body.first(), Some('!' | '^'));
                    if negated {
                        body = &body[1..];
                    }
                    let mut items = Vec::new();
                    let mut j = 0;
                    while j < body.len() {
                        if j + 2 < body.len() && body[j + 1] == '-' {
                            items.push((body[j], body[j + 2]));
                            j += 3;
                        } else {
                            items.push((body[j], body[j]));
                            j += 1;
                        }
                    }
                    tokens.push(Token::Class { negated, items });
                    i = close + 1;
                }
                c => {
                    tokens.push(Token::Char(c));
                    i += 1;
                }
            }
        }
        Ok(Glob {
            pattern: pattern.to_string(),
            tokens,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether a relative path (`/`-separated) matches.
    pub fn matches(&self, path: &str) -> bool {
        let path: Vec<char> = path.trim_start_matches("./").chars().collect();
        matches_at(&self.tokens, &path)
    }

    /// Whether the path or one of its parent directories matches.
    pub fn matches_path_or_parent(&self, path: &str) -> bool {
        let mut end = path.len();
        loop {
            if self.matches(&path[..end]) {
                return true;
            }
            match path[..end].rfind('/') {
                Some(i) => end = i,
                None => return false,
            }
        }
    }
}

fn matches_at(tokens: &[Token], path: &[char]) -> bool {
    let Some((first, rest)) = tokens.split_first() else {
        return path.is_empty();
    };
    match first {
        Token::Char(c) => path.first() == Some(c) && matches_at(rest, &path[1..]),
        Token::One => path.first().is_some_and(|c| *c != '/') && matches_at(rest, &path[1..]),
        Token::Class { negated, items } => {
            path.first().is_some_and(|c| {
                *c != '/' && items.iter().any(|(a, b)| a <= c && c <= b) != *negated
            }) && matches_at(rest, &path[1..])
        }
        Token::Star => {
            let mut i = 0;
            loop {
                if matches_at(rest, &path[i..]) {
                    return true;
                }
                if i >= path.len() || path[i] == '/' {
                    return false;
                }
                i += 1;
            }
        }
        Token::Globstar => {
            // Zero or more whole segments.
            if matches_at(rest, path) {
                return true;
            }
            path.iter()
                .enumerate()
                .filter(|(_, c)| **c == '/')
                .any(|(i, _)| matches_at(rest, &path[i + 1..]))
                || rest.is_empty()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, path: &str) -> bool {
        Glob::new(p).unwrap().matches(path)
    }

    #[test]
    fn patterns() {
        assert!(m("*.md", "a.md"));
        assert!(m("*.md", "部门/报告.md"));
        assert!(!m("*.md", "a.txt"));
        assert!(m("**/*.txt", "a/b/c.txt"));
        assert!(m("**/*.txt", "c.txt"));
        assert!(m("archive/**", "archive/2020/a.md"));
        assert!(!m("archive/**", "drafts/archive.md"));
        assert!(m("drafts/?.md", "drafts/a.md"));
        assert!(!m("drafts/?.md", "drafts/ab.md"));
        assert!(m("20[12][0-9]/*", "2021/x.md"));
        assert!(!m("[!a]*.md", "a1.md"));
        assert!(m("/top.md", "top.md"));
        assert!(!m("/top.md", "sub/top.md"));
        assert!(Glob::new("archive")
            .unwrap()
            .matches_path_or_parent("archive/2020/a.md"));
        assert!(Glob::new("[a").is_err());
    }
}
