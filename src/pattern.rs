//! Patterns of the profiles and the rules, matched without compiling automata.
//!
//! A check of one report used to spend most of its start-up compiling regular expressions
//! (the claims of a profile, the readers of dates and percentages): the `regex` crate builds
//! forward and reverse automata and literal prefilters for each, which pays off over megabytes
//! but not over the few hundred characters of a paragraph. A [`Pattern`] reads the common
//! subset of the syntax (literals, `.`, classes with ranges and `\s`, groups, alternation,
//! greedy and lazy repetition, `^` and `$`) into a small program run by backtracking, which
//! costs microseconds to build. It finds what `regex` would: leftmost-first matches and the
//! same groups (a property test compares the two on random patterns and texts).
//!
//! Anything outside the subset (flags, `\d`, `\b`, Unicode classes, nested classes), a
//! repetition of something that can match nothing, and any search that takes too many steps
//! go to `regex` itself, compiled then, so a pattern never matches differently or slowly.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

/// A regular expression: a backtracking program when the pattern allows, else `regex`.
#[derive(Debug)]
pub struct Pattern {
    source: Box<str>,
    program: Option<Program>,
    /// The names of the groups, by number (`None` for group 0 and unnamed groups).
    names: Vec<Option<String>>,
    regex: OnceLock<Regex>,
}

/// The groups of one match: `get(0)` is the whole match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captures {
    slots: Vec<Option<usize>>,
}

impl Captures {
    /// The range of group `i`, if it took part in the match.
    pub fn get(&self, i: usize) -> Option<Range<usize>> {
        Some(self.slots.get(2 * i).copied()??..self.slots.get(2 * i + 1).copied()??)
    }

    fn from_regex(caps: &regex::Captures) -> Captures {
        let mut slots = Vec::with_capacity(2 * caps.len());
        for m in caps.iter() {
            slots.push(m.map(|m| m.start()));
            slots.push(m.map(|m| m.end()));
        }
        Captures { slots }
    }
}

impl Pattern {
    /// Reads `source`; an error is the one `regex` gives for it.
    pub fn new(source: &str) -> Result<Pattern, regex::Error> {
        let parsed = Parser::new(source).parse();
        let (program, names, regex) = match parsed {
            Some((node, names)) => (Program::compile(&node, names.len()), names, OnceLock::new()),
            None => {
                let regex = Regex::new(source)?;
                let names = regex
                    .capture_names()
                    .map(|n| n.map(str::to_string))
                    .collect();
                (None, names, OnceLock::from(regex))
            }
        };
        Ok(Pattern {
            source: source.into(),
            program,
            names,
            regex,
        })
    }

    /// A pattern written in the program: a mistake in it, or one that needs `regex`, is a bug.
    pub fn fixed(source: &str) -> Pattern {
        match Pattern::new(source) {
            Ok(p) => {
                debug_assert!(p.is_light(), "built-in pattern {source:?} needs `regex`");
                p
            }
            Err(e) => panic!("invalid built-in pattern {source:?}: {e}"),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The number of the group called `name`.
    pub fn group(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n.as_deref() == Some(name))
    }

    /// Texts one of which every match starts with (`办理[^，]…` gives 办理, `(?:答复|办结)…`
    /// 答复 and 办结); `None` when a match can start otherwise, or the pattern needs `regex`.
    pub fn prefixes(&self) -> Option<&[String]> {
        self.program.as_ref()?.prefixes.as_deref()
    }

    /// Whether this pattern runs without `regex` (for tests and benchmarks).
    pub fn is_light(&self) -> bool {
        self.program.is_some()
    }

    fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            Regex::new(&self.source).expect("the pattern was read, so `regex` accepts it")
        })
    }

    pub fn is_match(&self, hay: &str) -> bool {
        self.captures_at(hay, 0).is_some()
    }

    pub fn find(&self, hay: &str) -> Option<Range<usize>> {
        self.captures_at(hay, 0)?.get(0)
    }

    pub fn captures(&self, hay: &str) -> Option<Captures> {
        self.captures_at(hay, 0)
    }

    /// The first match starting at or after `at` (`^` still means the start of `hay`).
    pub fn captures_at(&self, hay: &str, at: usize) -> Option<Captures> {
        let mut scratch = Scratch::take();
        let found = self.captures_with(hay, at, &mut scratch);
        scratch.give_back();
        found
    }

    /// [`Pattern::captures_at`] with a search's working memory, which an iterator keeps from
    /// one search to the next (its starts only move forward).
    fn captures_with(&self, hay: &str, at: usize, scratch: &mut Scratch) -> Option<Captures> {
        if let Some(program) = &self.program {
            if let Ok(found) = program.search(hay, at, scratch) {
                return found;
            }
        }
        self.regex()
            .captures_at(hay, at)
            .map(|c| Captures::from_regex(&c))
    }

    /// Every match, one after another, as `regex`'s `captures_iter` gives them.
    pub fn captures_iter<'p, 'h>(&'p self, hay: &'h str) -> CapturesIter<'p, 'h> {
        match &self.program {
            // Programs never match an empty text, so each search starts where the last ended.
            Some(_) => CapturesIter(Iter::Light {
                pattern: self,
                hay,
                at: 0,
                scratch: Scratch::take(),
            }),
            None => CapturesIter(Iter::Regex(self.regex().captures_iter(hay))),
        }
    }
}

/// The matches of a pattern, one after another.
pub struct CapturesIter<'p, 'h>(Iter<'p, 'h>);

enum Iter<'p, 'h> {
    Light {
        pattern: &'p Pattern,
        hay: &'h str,
        at: usize,
        scratch: Scratch,
    },
    Regex(regex::CaptureMatches<'p, 'h>),
}

impl Drop for CapturesIter<'_, '_> {
    fn drop(&mut self) {
        if let Iter::Light { scratch, .. } = &mut self.0 {
            std::mem::take(scratch).give_back();
        }
    }
}

impl Iterator for CapturesIter<'_, '_> {
    type Item = Captures;

    fn next(&mut self) -> Option<Captures> {
        match &mut self.0 {
            Iter::Light {
                pattern,
                hay,
                at,
                scratch,
            } => {
                if *at > hay.len() {
                    return None;
                }
                let caps = pattern.captures_with(hay, *at, scratch)?;
                *at = caps.get(0).map_or(hay.len() + 1, |m| m.end.max(*at + 1));
                Some(caps)
            }
            Iter::Regex(it) => it.next().map(|c| Captures::from_regex(&c)),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Reading a pattern

#[derive(Debug, Clone)]
enum Node {
    Empty,
    Char(char),
    Class(Class),
    /// Any character but `\n`.
    Any,
    Start,
    End,
    /// A group, capturing when it has a number.
    Group(Option<usize>, Box<Node>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greedy: bool,
    },
}

impl Node {
    /// Whether the node can match without consuming a character.
    fn can_be_empty(&self) -> bool {
        match self {
            Node::Empty | Node::Start | Node::End => true,
            Node::Char(_) | Node::Class(_) | Node::Any => false,
            Node::Group(_, n) => n.can_be_empty(),
            Node::Concat(v) => v.iter().all(Node::can_be_empty),
            Node::Alt(v) => v.iter().any(Node::can_be_empty),
            Node::Repeat { node, min, .. } => *min == 0 || node.can_be_empty(),
        }
    }

    fn has_group(&self) -> bool {
        match self {
            Node::Group(Some(_), _) => true,
            Node::Group(None, n) | Node::Repeat { node: n, .. } => n.has_group(),
            Node::Concat(v) | Node::Alt(v) => v.iter().any(Node::has_group),
            _ => false,
        }
    }
}

/// A set of characters: sorted, non-overlapping ranges, or their complement.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Class {
    ranges: Vec<(char, char)>,
    negated: bool,
}

impl Class {
    fn contains(&self, c: char) -> bool {
        let i = self.ranges.partition_point(|r| r.1 < c);
        let inside = self.ranges.get(i).is_some_and(|r| r.0 <= c);
        inside != self.negated
    }

    fn canonical(mut ranges: Vec<(char, char)>, negated: bool) -> Class {
        ranges.sort_unstable();
        let mut merged: Vec<(char, char)> = Vec::with_capacity(ranges.len());
        for (a, b) in ranges {
            match merged.last_mut() {
                Some(last) if a as u32 <= last.1 as u32 + 1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        Class {
            ranges: merged,
            negated,
        }
    }
}

/// `\s`: Unicode's White_Space, as `regex` reads it.
const SPACE: &[(char, char)] = &[
    ('\t', '\r'),
    (' ', ' '),
    ('\u{85}', '\u{85}'),
    ('\u{a0}', '\u{a0}'),
    ('\u{1680}', '\u{1680}'),
    ('\u{2000}', '\u{200a}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{202f}', '\u{202f}'),
    ('\u{205f}', '\u{205f}'),
    ('\u{3000}', '\u{3000}'),
];

/// Characters `regex` lets a backslash make literal.
fn is_escapable(c: char) -> bool {
    "\\.+*?()|[]{}^$#&-~".contains(c)
}

/// The most a counted repetition may say, and the largest program, before `regex` is used.
const MAX_COUNT: u32 = 100;
const MAX_PROGRAM: usize = 20_000;

/// Reads the subset; `None` for anything else (including what `regex` would reject, so that
/// `regex` gives the error).
struct Parser<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    names: Vec<Option<String>>,
}

impl<'a> Parser<'a> {
    fn new(source: &'a str) -> Parser<'a> {
        Parser {
            chars: source.chars().peekable(),
            names: vec![None],
        }
    }

    fn parse(mut self) -> Option<(Node, Vec<Option<String>>)> {
        let node = self.alternation()?;
        if self.chars.next().is_some() || node.can_be_empty() {
            return None;
        }
        Some((node, self.names))
    }

    fn alternation(&mut self) -> Option<Node> {
        let mut branches = vec![self.concat()?];
        while self.chars.peek() == Some(&'|') {
            self.chars.next();
            branches.push(self.concat()?);
        }
        Some(if branches.len() == 1 {
            branches.pop()?
        } else {
            Node::Alt(branches)
        })
    }

    fn concat(&mut self) -> Option<Node> {
        let mut items = Vec::new();
        while let Some(&c) = self.chars.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let item = self.repetition(atom)?;
            items.push(item);
        }
        Some(match items.len() {
            0 => Node::Empty,
            1 => items.pop()?,
            _ => Node::Concat(items),
        })
    }

    fn atom(&mut self) -> Option<Node> {
        let c = self.chars.next()?;
        Some(match c {
            '.' => Node::Any,
            '^' => Node::Start,
            '$' => Node::End,
            '[' => Node::Class(self.class()?),
            '(' => self.group()?,
            '\\' => match self.escape()? {
                Escaped::Char(c) => Node::Char(c),
                Escaped::Space => Node::Class(Class::canonical(SPACE.to_vec(), false)),
            },
            '*' | '+' | '?' | '{' | '}' | ']' | ')' => return None,
            c => Node::Char(c),
        })
    }

    fn escape(&mut self) -> Option<Escaped> {
        Some(match self.chars.next()? {
            's' => Escaped::Space,
            'n' => Escaped::Char('\n'),
            't' => Escaped::Char('\t'),
            'r' => Escaped::Char('\r'),
            c if is_escapable(c) => Escaped::Char(c),
            _ => return None,
        })
    }

    fn group(&mut self) -> Option<Node> {
        let index = if self.chars.peek() == Some(&'?') {
            self.chars.next();
            match self.chars.next()? {
                ':' => None,
                'P' => {
                    if self.chars.next()? != '<' {
                        return None;
                    }
                    Some(self.named()?)
                }
                '<' => Some(self.named()?),
                _ => return None,
            }
        } else {
            self.names.push(None);
            Some(self.names.len() - 1)
        };
        let body = self.alternation()?;
        if self.chars.next()? != ')' {
            return None;
        }
        Some(Node::Group(index, Box::new(body)))
    }

    /// A group's name up to `>`: letters, digits and `_`, not starting with a digit, unique.
    fn named(&mut self) -> Option<usize> {
        let mut name = String::new();
        loop {
            match self.chars.next()? {
                '>' => break,
                c if c.is_ascii_alphanumeric() || c == '_' => name.push(c),
                _ => return None,
            }
        }
        let first = name.chars().next()?;
        if first.is_ascii_digit() || self.names.iter().any(|n| n.as_deref() == Some(&name)) {
            return None;
        }
        self.names.push(Some(name));
        Some(self.names.len() - 1)
    }

    fn class(&mut self) -> Option<Class> {
        let negated = self.chars.peek() == Some(&'^');
        if negated {
            self.chars.next();
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self.chars.next()?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let start = match c {
                '[' => return None,
                '&' | '~' | '-' if self.chars.peek() == Some(&c) => return None,
                '\\' => match self.escape()? {
                    Escaped::Char(c) => c,
                    Escaped::Space => {
                        ranges.extend_from_slice(SPACE);
                        continue;
                    }
                },
                c => c,
            };
            // A range `a-z`, unless the `-` ends the class.
            let mut ahead = self.chars.clone();
            if ahead.next() == Some('-') && !matches!(ahead.peek(), Some(']') | None) {
                self.chars.next();
                let end = match self.chars.next()? {
                    '\\' => match self.escape()? {
                        Escaped::Char(c) => c,
                        Escaped::Space => return None,
                    },
                    '[' => return None,
                    c => c,
                };
                if end < start {
                    return None;
                }
                ranges.push((start, end));
            } else {
                ranges.push((start, start));
            }
        }
        Some(Class::canonical(ranges, negated))
    }

    fn repetition(&mut self, atom: Node) -> Option<Node> {
        let (min, max) = match self.chars.peek() {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') => {
                self.chars.next();
                let (min, max) = self.counts()?;
                return self.finish_repetition(atom, min, max);
            }
            _ => return Some(atom),
        };
        self.chars.next();
        self.finish_repetition(atom, min, max)
    }

    fn finish_repetition(&mut self, atom: Node, min: u32, max: Option<u32>) -> Option<Node> {
        let greedy = if self.chars.peek() == Some(&'?') {
            self.chars.next();
            false
        } else {
            true
        };
        // Two quantifiers in a row, a repeated anchor, a repetition of what can match nothing
        // or of a group that captures more than once: left to `regex`.
        if matches!(self.chars.peek(), Some('*' | '+' | '?' | '{'))
            || matches!(atom, Node::Start | Node::End | Node::Empty)
            || atom.can_be_empty()
            || (max != Some(1) && atom.has_group())
        {
            return None;
        }
        Some(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
            greedy,
        })
    }

    /// `{n}`, `{n,}` or `{n,m}` after the `{`.
    fn counts(&mut self) -> Option<(u32, Option<u32>)> {
        let min = self.number()?;
        let max = match self.chars.next()? {
            '}' => return Some((min, Some(min))),
            ',' => {
                if self.chars.peek() == Some(&'}') {
                    None
                } else {
                    Some(self.number()?)
                }
            }
            _ => return None,
        };
        if self.chars.next()? != '}' || max.is_some_and(|m| m < min) {
            return None;
        }
        Some((min, max))
    }

    fn number(&mut self) -> Option<u32> {
        let mut n: u32 = 0;
        let mut digits = 0;
        while let Some(d) = self.chars.peek().and_then(|c| c.to_digit(10)) {
            self.chars.next();
            n = n.checked_mul(10)?.checked_add(d)?;
            digits += 1;
        }
        (digits > 0 && n <= MAX_COUNT).then_some(n)
    }
}

enum Escaped {
    Char(char),
    Space,
}

// ---------------------------------------------------------------------------------------
// Running a pattern

#[derive(Debug, Clone)]
enum Inst {
    Char(char),
    Class(Class),
    Any,
    /// Try the first, then the second.
    Split(usize, usize),
    Jmp(usize),
    Save(usize),
    Start,
    End,
    Match,
}

#[derive(Debug)]
struct Program {
    insts: Vec<Inst>,
    slots: usize,
    /// The texts every match starts with, when the program tells (see [`literal_prefixes`]).
    prefixes: Option<Vec<String>>,
    /// How to find where a match can start.
    skip: Skip,
    /// Whether every match starts at the start of the text.
    anchored: bool,
    /// Sets of texts one of each of which every match contains (`…{0,16}?(?:被纠错|被纠正)`
    /// needs 被纠错 or 被纠正): where a set has no text left, no match is left either.
    required: Vec<Required>,
    /// The longest a match can be, in bytes, when bounded.
    max_len: Option<usize>,
}

#[derive(Debug)]
struct Required {
    finders: Vec<memchr::memmem::Finder<'static>>,
    /// The shortest of the texts, in bytes.
    shortest: usize,
}

fn finders(texts: &[String]) -> Vec<memchr::memmem::Finder<'static>> {
    texts
        .iter()
        .map(|t| memchr::memmem::Finder::new(t.as_bytes()).into_owned())
        .collect()
}

/// Where the first of `finders`' texts occurs at or after `start`. `next` keeps each text's
/// next place between calls of one search, whose starts only move forward (`None`: no more).
fn first_from(
    finders: &[memchr::memmem::Finder<'static>],
    next: &mut Vec<Option<usize>>,
    hay: &[u8],
    start: usize,
) -> Option<usize> {
    let find = |f: &memchr::memmem::Finder| f.find(&hay[start..]).map(|i| start + i);
    if next.len() != finders.len() {
        next.clear();
        next.extend(finders.iter().map(find));
    } else {
        for (f, n) in finders.iter().zip(next.iter_mut()) {
            if n.is_some_and(|n| n < start) {
                *n = find(f);
            }
        }
    }
    next.iter().flatten().min().copied()
}

/// How a search finds the places a match can start at.
#[derive(Debug)]
enum Skip {
    /// Anywhere.
    Nothing,
    /// Where one of these texts occurs: every match starts with one.
    Texts(Vec<memchr::memmem::Finder<'static>>),
    /// At a character of the class, found by the first bytes of their UTF-8.
    Class(Box<[bool; 256]>, Class),
}

/// The bytes that can start the UTF-8 of a character of `class`.
fn lead_bytes(class: &Class) -> [bool; 256] {
    let lead = |c: char| c.encode_utf8(&mut [0; 4]).as_bytes()[0];
    let mut table = [false; 256];
    for &(a, b) in &class.ranges {
        // The first byte grows with the code point.
        for byte in lead(a)..=lead(b) {
            table[usize::from(byte)] = true;
        }
    }
    table
}

/// The texts every match starts with (a few, each at least a character), read from the
/// program: `(?:新收|收到)…` gives 新收 and 收到. `None` when a match can start otherwise.
fn literal_prefixes(insts: &[Inst]) -> Option<Vec<String>> {
    const MAX: usize = 16;
    let mut out: Vec<String> = Vec::new();
    let mut todo = vec![(0, String::new())];
    let mut steps = 0;
    while let Some((mut pc, mut text)) = todo.pop() {
        loop {
            steps += 1;
            if steps > 10_000 || todo.len() > MAX {
                return None;
            }
            match &insts[pc] {
                Inst::Char(c) => {
                    text.push(*c);
                    pc += 1;
                }
                Inst::Save(_) => pc += 1,
                Inst::Jmp(to) => pc = *to,
                // Once a text is read, every way on starts with it: branches are followed
                // only at the start (`(?:答复|办结)…`).
                Inst::Split(..) if !text.is_empty() => break,
                Inst::Split(a, b) => {
                    todo.push((*b, text.clone()));
                    pc = *a;
                }
                _ => break,
            }
        }
        if text.is_empty() {
            return None;
        }
        out.push(text);
    }
    // A text that starts with another is found where the other is.
    out.sort();
    out.dedup();
    let mut kept: Vec<String> = Vec::new();
    for t in out {
        if !kept.iter().any(|k| t.starts_with(k.as_str())) {
            kept.push(t);
        }
    }
    (kept.len() <= MAX).then_some(kept)
}

/// The search took too many steps: `regex` takes over.
struct TooLong;

/// A search's working memory: capture slots, the backtracking stack, and where each text a
/// match starts with or needs occurs next (kept between the searches of an iterator).
#[derive(Default)]
struct Scratch {
    slots: Vec<Option<usize>>,
    stack: Vec<Frame>,
    next: Vec<Option<usize>>,
    required_next: Vec<Vec<Option<usize>>>,
}

thread_local! {
    /// The working memory of the last search on this thread, for the next one: searches are
    /// many and short (a claim in a paragraph), and allocating theirs was a fifth of all the
    /// allocations of a check.
    static SPARE_SCRATCH: std::cell::Cell<Scratch> = const {
        std::cell::Cell::new(Scratch {
            slots: Vec::new(),
            stack: Vec::new(),
            next: Vec::new(),
            required_next: Vec::new(),
        })
    };
}

impl Scratch {
    /// This thread's spare working memory (or new), emptied for a search of any pattern.
    fn take() -> Scratch {
        let mut s = SPARE_SCRATCH.with(std::cell::Cell::take);
        s.next.clear();
        for n in &mut s.required_next {
            n.clear();
        }
        s
    }

    /// Keeps this memory for the thread's next search (not a stack grown large by a long
    /// search, which would stay allocated for good).
    fn give_back(mut self) {
        if self.stack.capacity() > 4096 {
            self.stack = Vec::new();
        }
        SPARE_SCRATCH.with(|spare| spare.set(self));
    }
}

enum Frame {
    Try(usize, usize),
    Restore(usize, Option<usize>),
}

impl Program {
    fn compile(node: &Node, groups: usize) -> Option<Program> {
        let mut insts = vec![Inst::Save(0)];
        emit(node, &mut insts);
        insts.push(Inst::Save(1));
        insts.push(Inst::Match);
        if insts.len() > MAX_PROGRAM {
            return None;
        }
        let (firsts, anchored) = starts(&insts);
        let prefixes = literal_prefixes(&insts);
        // The sets of required texts that tell most: the longest texts, a few sets at most.
        // An anchored pattern is tried at one place: looking ahead for its texts would cost a
        // pass over the rest of the text, for callers that try it at many places.
        let mut sets = if anchored { Vec::new() } else { required(node) };
        sets.retain(|s| s.len() <= 8 && !s.is_empty() && Some(s) != prefixes.as_ref());
        sets.sort_by_key(|s| std::cmp::Reverse(s.iter().map(String::len).min().unwrap_or(0)));
        sets.dedup();
        sets.truncate(3);
        let required = sets
            .iter()
            .map(|s| Required {
                finders: finders(s),
                shortest: s.iter().map(String::len).min().unwrap_or(0),
            })
            .collect();
        let skip = match (&prefixes, firsts) {
            (Some(texts), _) => Skip::Texts(finders(texts)),
            (None, Some(class)) => Skip::Class(Box::new(lead_bytes(&class)), class),
            (None, None) => Skip::Nothing,
        };
        Some(Program {
            insts,
            slots: 2 * groups,
            prefixes,
            skip,
            anchored,
            required,
            max_len: max_len(node),
        })
    }

    /// The first match starting at or after `at`. `scratch` is fresh, or was last used by a
    /// search of this program in the same text from a start no later than `at`.
    fn search(
        &self,
        hay: &str,
        at: usize,
        scratch: &mut Scratch,
    ) -> Result<Option<Captures>, TooLong> {
        let mut budget = 100_000 + 200 * hay.len().saturating_sub(at);
        let Scratch {
            slots,
            stack,
            next,
            required_next,
        } = scratch;
        slots.clear();
        slots.resize(self.slots, None);
        required_next.resize_with(self.required.len(), Vec::new);
        let mut start = at;
        'starts: while start <= hay.len() {
            if self.anchored && start > 0 {
                return Ok(None);
            }
            let found = match &self.skip {
                Skip::Nothing => Some(start),
                // Each text is valid UTF-8, so where one occurs is a character boundary.
                Skip::Texts(finders) => first_from(finders, next, hay.as_bytes(), start),
                Skip::Class(leads, class) => hay.as_bytes()[start..]
                    .iter()
                    .enumerate()
                    .filter(|&(_, b)| leads[usize::from(*b)])
                    .map(|(i, _)| start + i)
                    .find(|&i| hay[i..].chars().next().is_some_and(|c| class.contains(c))),
            };
            match found {
                Some(i) => start = i,
                None => return Ok(None),
            }
            for (set, next) in self.required.iter().zip(required_next.iter_mut()) {
                let Some(at) = first_from(&set.finders, next, hay.as_bytes(), start) else {
                    return Ok(None);
                };
                if self.max_len.is_some_and(|m| at + set.shortest > start + m) {
                    // Too far for a match starting here.
                    start += hay[start..].chars().next().map_or(1, char::len_utf8);
                    continue 'starts;
                }
            }
            if self.run(hay, start, slots, stack, &mut budget)? {
                return Ok(Some(Captures {
                    slots: std::mem::take(slots),
                }));
            }
            match hay[start..].chars().next() {
                Some(c) => start += c.len_utf8(),
                None => break,
            }
        }
        Ok(None)
    }

    fn run(
        &self,
        hay: &str,
        start: usize,
        slots: &mut [Option<usize>],
        stack: &mut Vec<Frame>,
        budget: &mut usize,
    ) -> Result<bool, TooLong> {
        stack.clear();
        stack.push(Frame::Try(0, start));
        while let Some(frame) = stack.pop() {
            let (mut pc, mut pos) = match frame {
                Frame::Restore(slot, old) => {
                    slots[slot] = old;
                    continue;
                }
                Frame::Try(pc, pos) => (pc, pos),
            };
            loop {
                *budget = budget.checked_sub(1).ok_or(TooLong)?;
                match &self.insts[pc] {
                    Inst::Char(c) => match hay[pos..].chars().next() {
                        Some(h) if h == *c => {
                            pos += h.len_utf8();
                            pc += 1;
                        }
                        _ => break,
                    },
                    Inst::Class(class) => match hay[pos..].chars().next() {
                        Some(h) if class.contains(h) => {
                            pos += h.len_utf8();
                            pc += 1;
                        }
                        _ => break,
                    },
                    Inst::Any => match hay[pos..].chars().next() {
                        Some(h) if h != '\n' => {
                            pos += h.len_utf8();
                            pc += 1;
                        }
                        _ => break,
                    },
                    Inst::Split(first, second) => {
                        stack.push(Frame::Try(*second, pos));
                        pc = *first;
                    }
                    Inst::Jmp(to) => pc = *to,
                    Inst::Save(slot) => {
                        stack.push(Frame::Restore(*slot, slots[*slot]));
                        slots[*slot] = Some(pos);
                        pc += 1;
                    }
                    Inst::Start if pos == 0 => pc += 1,
                    Inst::End if pos == hay.len() => pc += 1,
                    Inst::Start | Inst::End => break,
                    Inst::Match => return Ok(true),
                }
            }
        }
        Ok(false)
    }
}

fn emit(node: &Node, out: &mut Vec<Inst>) {
    match node {
        Node::Empty => {}
        Node::Char(c) => out.push(Inst::Char(*c)),
        Node::Class(c) => out.push(Inst::Class(c.clone())),
        Node::Any => out.push(Inst::Any),
        Node::Start => out.push(Inst::Start),
        Node::End => out.push(Inst::End),
        Node::Group(index, body) => {
            if let Some(i) = index {
                out.push(Inst::Save(2 * i));
            }
            emit(body, out);
            if let Some(i) = index {
                out.push(Inst::Save(2 * i + 1));
            }
        }
        Node::Concat(items) => items.iter().for_each(|n| emit(n, out)),
        Node::Alt(branches) => {
            let mut jumps = Vec::new();
            for (k, branch) in branches.iter().enumerate() {
                if k + 1 < branches.len() {
                    let split = out.len();
                    out.push(Inst::Split(split + 1, 0));
                    emit(branch, out);
                    jumps.push(out.len());
                    out.push(Inst::Jmp(0));
                    let next = out.len();
                    out[split] = Inst::Split(split + 1, next);
                } else {
                    emit(branch, out);
                }
            }
            let end = out.len();
            for j in jumps {
                out[j] = Inst::Jmp(end);
            }
        }
        Node::Repeat {
            node,
            min,
            max,
            greedy,
        } => {
            for _ in 0..*min {
                emit(node, out);
            }
            let split = |body: usize, skip: usize| {
                if *greedy {
                    Inst::Split(body, skip)
                } else {
                    Inst::Split(skip, body)
                }
            };
            match max {
                None => {
                    let top = out.len();
                    out.push(Inst::Jmp(0));
                    emit(node, out);
                    out.push(Inst::Jmp(top));
                    let end = out.len();
                    out[top] = split(top + 1, end);
                }
                Some(max) => {
                    // Nested optionals, e{0,3} = (?:e(?:e(?:e)?)?)?: each skip ends them all.
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(out.len());
                        out.push(Inst::Jmp(0));
                        emit(node, out);
                    }
                    let end = out.len();
                    for s in splits {
                        out[s] = split(s + 1, end);
                    }
                }
            }
        }
    }
}

/// Sets of texts one of each of which every match of `node` contains.
fn required(node: &Node) -> Vec<Vec<String>> {
    match node {
        Node::Char(c) => vec![vec![c.to_string()]],
        Node::Group(_, inner) => required(inner),
        Node::Repeat { node, min, .. } if *min >= 1 => required(node),
        Node::Concat(items) => {
            let mut out = Vec::new();
            let mut run = String::new();
            for item in items {
                if let Node::Char(c) = item {
                    run.push(*c);
                    continue;
                }
                if !run.is_empty() {
                    out.push(vec![std::mem::take(&mut run)]);
                }
                out.extend(required(item));
            }
            if !run.is_empty() {
                out.push(vec![run]);
            }
            out
        }
        // One of each branch's, the longest it has.
        Node::Alt(branches) => {
            let mut set = Vec::new();
            for branch in branches {
                let best = required(branch)
                    .into_iter()
                    .max_by_key(|s| s.iter().map(String::len).min().unwrap_or(0));
                match best {
                    Some(s) => set.extend(s),
                    None => return Vec::new(),
                }
            }
            set.sort();
            set.dedup();
            vec![set]
        }
        _ => Vec::new(),
    }
}

/// The longest a match of `node` can be, in bytes; `None` when unbounded.
fn max_len(node: &Node) -> Option<usize> {
    match node {
        Node::Char(c) => Some(c.len_utf8()),
        Node::Class(_) | Node::Any => Some(4),
        Node::Start | Node::End | Node::Empty => Some(0),
        Node::Group(_, inner) => max_len(inner),
        Node::Concat(items) => items.iter().map(max_len).sum(),
        Node::Alt(branches) => branches
            .iter()
            .map(max_len)
            .collect::<Option<Vec<usize>>>()?
            .into_iter()
            .max(),
        Node::Repeat { node, max, .. } => Some(max_len(node)? * (*max)? as usize),
    }
}

/// The characters a match of the program can start with (`None` when any could), and whether
/// it must start at the start of the text.
fn starts(insts: &[Inst]) -> (Option<Class>, bool) {
    let mut firsts = Vec::new();
    let mut seen = vec![false; insts.len()];
    let mut todo = vec![0];
    let mut anchored = true;
    let mut any = false;
    while let Some(pc) = todo.pop() {
        if std::mem::replace(&mut seen[pc], true) {
            continue;
        }
        match &insts[pc] {
            Inst::Char(c) => {
                firsts.push((*c, *c));
                anchored = false;
            }
            Inst::Class(class) if !class.negated => {
                firsts.extend_from_slice(&class.ranges);
                anchored = false;
            }
            Inst::Split(a, b) => todo.extend([*a, *b]),
            Inst::Jmp(to) => todo.push(*to),
            Inst::Save(_) => todo.push(pc + 1),
            // What follows `^` is tried at the start only: no characters to look for.
            Inst::Start => any = true,
            Inst::Class(_) | Inst::Any | Inst::End | Inst::Match => {
                any = true;
                anchored = false;
            }
        }
    }
    let firsts = (!any && !firsts.is_empty()).then(|| Class::canonical(firsts, false));
    (firsts, anchored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_share_no_state_through_the_spare_memory() {
        let a = Pattern::fixed("甲|乙");
        let b = Pattern::fixed("丙|丁");
        // Each search leaves where its texts occur next in the thread's spare memory; the
        // next search, of another pattern and text, must not take them for its own.
        for _ in 0..3 {
            assert_eq!(a.find("丙丁乙甲"), Some(6..9));
            assert_eq!(b.find("丁"), Some(0..3));
            let mut iter = a.captures_iter("乙x甲");
            assert_eq!(iter.next().and_then(|c| c.get(0)), Some(0..3));
            // A search while an iteration holds the spare memory gets its own.
            assert_eq!(b.find("x丙"), Some(1..4));
            assert_eq!(iter.next().and_then(|c| c.get(0)), Some(4..7));
            assert!(iter.next().is_none());
            drop(iter);
            assert_eq!(b.find("甲乙"), None);
        }
    }
    use proptest::prelude::*;

    fn all(p: &Pattern, hay: &str) -> Vec<Vec<Option<Range<usize>>>> {
        p.captures_iter(hay)
            .map(|c| (0..p.names.len()).map(|i| c.get(i)).collect())
            .collect()
    }

    fn all_regex(re: &Regex, hay: &str) -> Vec<Vec<Option<Range<usize>>>> {
        re.captures_iter(hay)
            .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
            .collect()
    }

    fn same(pattern: &str, hay: &str) {
        let p = Pattern::new(pattern).unwrap();
        let re = Regex::new(pattern).unwrap();
        assert_eq!(all(&p, hay), all_regex(&re, hay), "{pattern} in {hay:?}");
    }

    #[test]
    fn the_patterns_in_use_are_light() {
        for p in [
            r"(?:新收|收到|受理|接收)[^，。；：,;:0-9０-９]{0,15}?申请(?:共|总计|合计)?(?P<n>[0-9０-９]+(?:[,，][0-9０-９]{3})*)件",
            r"^[，,]?\s*(?:约|分别)?(?:占|占比|比例为|占比为)[^0-9０-９。；;，,%％]{0,10}?([0-9０-９]+(?:\.[0-9０-９]+)?)\s*[%％]",
            r"((?:19|20)[0-9]{2}|[一二][〇零○一二三四五六七八九]{3})年",
            r"信息公开|依申请",
        ] {
            assert!(Pattern::fixed(p).is_light(), "{p}");
        }
        for p in [
            r"\d件",
            r"(?i)abc",
            r"\bword",
            r"[[:alpha:]]",
            r"(?:a?)*",
            r"a**",
            r"(a)+",
            "a{1000}",
        ] {
            let pattern = Pattern::new(p).unwrap();
            assert!(!pattern.is_light(), "{p}");
        }
    }

    #[test]
    fn errors_are_the_regex_errors() {
        for p in [
            "(",
            "a)",
            "[a",
            "a{3,2}",
            "*a",
            "(?P<n>a)(?P<n>b)",
            "[z-a]",
            r"\q",
        ] {
            assert!(Pattern::new(p).is_err(), "{p}");
            assert!(Regex::new(p).is_err(), "{p}");
        }
    }

    #[test]
    fn finds_what_regex_finds() {
        let hay = "本机关收到政府信息公开申请1,234件，其中自然人提出申请1200件，占比约97.2%；\n结转下年度3件。";
        for p in [
            r"(?:新收|收到|受理|接收)[^，。；：,;:0-9０-９]{0,15}?申请(?:共|总计|合计)?(?P<n>[0-9０-９]+(?:[,，][0-9０-９]{3})*)件",
            r"([0-9０-９]+(?:[,，][0-9０-９]{3})*)\s*(人次|件|条|个|项)",
            r"(?:占|占比|比例为)[^0-9０-９。；;，,%％]{0,10}?([0-9０-９]+(?:\.[0-9０-９]+)?)\s*[%％]",
            r"。$|；\s",
            r"^本",
            r"申请.*件",
            r"申请.*?件",
            r"(a)|(申请)",
            r"[^，]+，",
            r"\s+",
        ] {
            same(p, hay);
        }
    }

    #[test]
    fn prefixes_are_what_every_match_starts_with() {
        let lits = |p: &str| Pattern::new(p).unwrap().prefixes().map(|v| v.join(","));
        assert_eq!(lits("办理[^，]{0,15}?申请"), Some("办理".into()));
        assert_eq!(lits("含上一?年度?结转"), Some("含上".into()));
        assert_eq!(lits("(?:答复|办结)[^，]*件"), Some("办结,答复".into()));
        assert_eq!(
            lits("无败诉|没有败诉|零败诉"),
            Some("无败诉,没有败诉,零败诉".into())
        );
        assert_eq!(lits("(?P<x>甲|乙)?丙"), Some("丙,乙丙,甲丙".into()));
        assert_eq!(lits("ab+c"), Some("ab".into()));
        assert_eq!(lits("(?:答复|办结)?件"), Some("件,办结件,答复件".into()));
        assert_eq!(lits("a*b"), Some("a,b".into()));
        for none in ["(?i)abc", "^占", "[0-9]+件", "甲|", r"\d件"] {
            assert_eq!(lits(none), None, "{none}");
        }
        // Every match of each starts with one of its prefixes.
        let hay = "说答复件与办结3件，无败诉；ab与abbc乙丙";
        for p in [
            "(?:答复|办结)?件",
            "ab+c",
            "(?P<x>甲|乙)?丙",
            "(?:答复|办结)[^，]*件",
        ] {
            let pattern = Pattern::new(p).unwrap();
            let prefixes = pattern.prefixes().unwrap();
            for m in pattern.captures_iter(hay) {
                let at = &hay[m.get(0).unwrap().start..];
                assert!(
                    prefixes.iter().any(|t| at.starts_with(t.as_str())),
                    "{p} at {at}"
                );
            }
        }
    }

    #[test]
    fn knows_the_texts_every_match_needs_and_its_longest() {
        let p = Pattern::fixed("(?:未发生|无)[^。]{0,16}?(?:被纠错|被纠正)");
        let program = p.program.as_ref().unwrap();
        let sets: Vec<usize> = program.required.iter().map(|r| r.finders.len()).collect();
        assert_eq!(
            sets,
            [2],
            "被纠错 or 被纠正; the prefixes are looked for already"
        );
        assert_eq!(program.max_len, Some(9 + 16 * 4 + 9));
        assert_eq!(
            Pattern::fixed("申请[0-9]+件").program.unwrap().max_len,
            None
        );
        // Far from the required text, a start is skipped; near it, the match is found.
        let hay = format!("无{}无被纠正", "字".repeat(40));
        assert_eq!(p.find(&hay), Some(3 + 120..hay.len()));
        assert_eq!(p.find("无纠正"), None);
        // An anchored pattern looks nowhere but at the start: callers try one on the rest of a
        // paragraph after every figure, and a look-ahead there made a paragraph quadratic.
        let anchored = Pattern::fixed("^约?占[^%]{0,10}?[0-9]+%");
        assert!(anchored.program.as_ref().unwrap().required.is_empty());
    }

    #[test]
    fn hands_over_to_regex_when_backtracking_runs_long() {
        let p = Pattern::new("(?:a|aa)+(?:a|aa)+(?:a|aa)+b").unwrap();
        assert!(p.is_light());
        let hay = "a".repeat(3000);
        assert_eq!(p.find(&hay), None);
        assert_eq!(p.find(&(hay + "b")), Some(0..3001));
    }

    /// Random patterns of the subset over a small alphabet, so that they match often.
    fn pattern() -> impl Strategy<Value = String> {
        let leaf = prop::sample::select(vec![
            "a",
            "b",
            "申",
            "请",
            "，",
            ".",
            "[ab]",
            "[^a，]",
            "[a-c申]",
            r"\s",
            "^",
            "$",
            r"\.",
            "[0-9]",
            "(?:a|申请)",
        ])
        .prop_map(str::to_string);
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.concat()),
                prop::collection::vec(inner.clone(), 2..4)
                    .prop_map(|v| format!("(?:{})", v.join("|"))),
                inner.clone().prop_map(|s| format!("({s})")),
                (
                    inner,
                    prop::sample::select(vec![
                        "?", "*", "+", "??", "*?", "+?", "{2}", "{1,3}", "{0,2}?", "{2,}"
                    ])
                )
                    .prop_map(|(s, q)| format!("(?:{s}){q}")),
            ]
        })
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "a", "b", "c", "申", "请", "，", " ", "\n", ".", "1", "😀",
            ]),
            0..24,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn like_regex(pattern in pattern(), hay in text()) {
            let Ok(re) = Regex::new(&pattern) else { return Ok(()) };
            let p = Pattern::new(&pattern).unwrap();
            prop_assert_eq!(all(&p, &hay), all_regex(&re, &hay), "{} light: {}", pattern, p.is_light());
        }
    }
}
