//! Agency names: the administrative divisions they start with and the body they name.
//!
//! `长沙市芙蓉区人民政府办公室` is the divisions `长沙市`, `芙蓉区` and the organ `人民政府办公室`.
//! Comparing names part by part tells a shortened name (`芙蓉区人民政府`) from another body
//! (`天心区人民政府`) and from text that names no body at all (`芙蓉区凯发一触即发`).

use super::normalize::normalize;

/// The kind of body a report is published by: deadlines differ (条例第四十九条).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Body {
    /// A department (部门) of a government: by 31 January.
    Department,
    /// A government (本级政府), published by its 主管部门: by 31 March.
    Government,
}

/// Suffixes that end the name of an administrative division, longest first.
const DIVISION_SUFFIXES: &[&str] = &[
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "新区",
    "地区",
    "街道",
    "省",
    "市",
    "州",
    "盟",
    "县",
    "区",
    "旗",
    "镇",
    "乡",
];

/// Characters that never occur in the name part of a division (`住房和城乡` is no 乡).
const NOT_IN_DIVISION_NAME: &[char] = &[
    '与', '及', '局', '委', '办', '厅', '府', '部', '院', '室', '处', '会', '管', '理', '监', '督',
    '设', '人', '场', '服', '发', '展', '统', '计', '财', '教', '育', '生',
];

/// Words that name an organ; a name part holding one of them names a body.
const ORGAN_WORDS: &[&str] = &[
    "政府",
    "局",
    "委员会",
    "委",
    "办公室",
    "办公厅",
    "办",
    "厅",
    "院",
    "中心",
    "部",
    "处",
    "署",
    "室",
    "会",
    "所",
    "站",
    "队",
    "馆",
    "社",
    "团",
    "司",
    "公司",
    "集团",
    "行",
    "组",
];

/// An agency name split into its divisions and the organ that follows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgencyParts {
    /// `长沙市`, `芙蓉区`: outermost first, normalised.
    pub divisions: Vec<String>,
    /// What follows the divisions: `人民政府办公室`, or empty for a bare division.
    pub organ: String,
}

impl AgencyParts {
    pub fn split(name: &str) -> AgencyParts {
        let norm = normalize(name);
        let mut divisions = Vec::new();
        let mut rest = norm.as_str();
        while let Some(len) = leading_division(rest) {
            divisions.push(rest[..len].to_string());
            rest = &rest[len..];
        }
        AgencyParts {
            divisions,
            organ: rest.to_string(),
        }
    }

    /// The innermost division: `芙蓉区`.
    pub fn innermost(&self) -> Option<&str> {
        self.divisions.last().map(String::as_str)
    }

    /// A government's own report: a bare division (`长沙市芙蓉区`) or its 人民政府.
    pub fn body(&self) -> Option<Body> {
        let organ = self.organ.as_str();
        if organ.is_empty() {
            return (!self.divisions.is_empty()).then_some(Body::Government);
        }
        if matches!(organ, "人民政府" | "政府") {
            Some(Body::Government)
        } else if names_organ(organ) {
            Some(Body::Department)
        } else {
            None
        }
    }
}

/// The length of a division name at the start of `s`: two to seven characters of name and a
/// suffix, or `None`.
fn leading_division(s: &str) -> Option<usize> {
    for (name_chars, (i, c)) in s.char_indices().enumerate() {
        if name_chars >= 2 {
            let suffix = DIVISION_SUFFIXES.iter().find(|x| s[i..].starts_with(**x));
            // `住房和城乡建设局`: 城乡 is never the name of a 乡.
            if let Some(suffix) = suffix.filter(|x| !(**x == "乡" && s[..i].ends_with('城'))) {
                return Some(i + suffix.len());
            }
        }
        if name_chars >= 7 || NOT_IN_DIVISION_NAME.contains(&c) || !is_han(c) {
            return None;
        }
    }
    None
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{20000}'..='\u{2ffff}')
}

/// Whether a text names an organ: it holds an organ word or ends like a division.
pub fn names_organ(organ: &str) -> bool {
    ORGAN_WORDS.iter().any(|w| organ.contains(w))
        || DIVISION_SUFFIXES.iter().any(|s| organ.ends_with(s))
}

/// How two agency names relate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Agreement {
    /// The same body, or a body and its office (`某区人民政府` and `某区人民政府办公室`).
    Same,
    /// The divisions differ: `芙蓉区` and `天心区`.
    OtherDivision { ours: String, theirs: String },
    /// The same division, another organ: `教育局` and `卫生健康委员会`.
    OtherOrgan,
}

/// Compares a name with the title's. Divisions agree when one list ends the other (a name may
/// leave out its province or city); organs agree when one is empty or a government's, or
/// when they share most of their characters (`教育局`, `教育和体育局`).
pub fn agree(title: &AgencyParts, other: &AgencyParts) -> Agreement {
    if let (Some(a), Some(b)) = (title.innermost(), other.innermost()) {
        let (short, long) = if title.divisions.len() <= other.divisions.len() {
            (&title.divisions, &other.divisions)
        } else {
            (&other.divisions, &title.divisions)
        };
        if !long.ends_with(short) && !long.starts_with(short) {
            return Agreement::OtherDivision {
                ours: a.to_string(),
                theirs: b.to_string(),
            };
        }
    }
    let governmental = |o: &str| o.is_empty() || o.starts_with("人民政府") || o.starts_with("政府");
    if governmental(&title.organ) && governmental(&other.organ) {
        return Agreement::Same;
    }
    if title.organ.is_empty() || other.organ.is_empty() {
        return Agreement::Same;
    }
    if shared_share(&title.organ, &other.organ) >= 0.5 {
        Agreement::Same
    } else {
        Agreement::OtherOrgan
    }
}

/// The share of the shorter organ's characters (organ words left out) found in the longer.
fn shared_share(a: &str, b: &str) -> f64 {
    let strip = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| !matches!(c, '局' | '委' | '办' | '厅' | '室' | '会' | '员' | '公'))
            .collect()
    };
    let (a, b) = (strip(a), strip(b));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return 1.0;
    }
    let found = short.iter().filter(|c| long.contains(c)).count();
    found as f64 / short.len() as f64
}

/// Whether two names stand for the same body, for pairing a report with last year's.
pub fn same_body(a: &str, b: &str) -> bool {
    body_key(a).is_some_and(|k| body_key(b) == Some(k))
}

/// What two names of the same body share (see [`same_body`]): the innermost division and
/// the organ, `人民政府` or `政府` left out. `None` for a name that says neither.
pub fn body_key(name: &str) -> Option<BodyKey> {
    let parts = AgencyParts::split(name);
    if parts.divisions.is_empty() && parts.organ.is_empty() {
        return None;
    }
    let organ = parts.organ.as_str();
    let organ = organ.strip_prefix("人民政府").unwrap_or(organ);
    let organ = organ.strip_prefix("政府").unwrap_or(organ).to_string();
    Some(BodyKey {
        division: parts.divisions.last().cloned(),
        organ,
    })
}

/// See [`body_key`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BodyKey {
    division: Option<String>,
    organ: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(name: &str) -> (Vec<&str>, String) {
        let p = AgencyParts::split(name);
        let d = p
            .divisions
            .iter()
            .map(|s| Box::leak(s.clone().into_boxed_str()) as &str)
            .collect();
        (d, p.organ)
    }

    #[test]
    fn splits_divisions_from_the_organ() {
        assert_eq!(
            parts("长沙市芙蓉区人民政府办公室"),
            (vec!["长沙市", "芙蓉区"], "人民政府办公室".to_string())
        );
        assert_eq!(
            parts("黑龙江省哈尔滨市阿城区"),
            (vec!["黑龙江省", "哈尔滨市", "阿城区"], String::new())
        );
        assert_eq!(
            parts("温州市住房和城乡建设局"),
            (vec!["温州市"], "住房和城乡建设局".to_string())
        );
        assert_eq!(
            parts("宁波市鄞州区市场监督管理局"),
            (vec!["宁波市", "鄞州区"], "市场监督管理局".to_string())
        );
        assert_eq!(
            parts("杭州市上城区湖滨街道办事处"),
            (vec!["杭州市", "上城区", "湖滨街道"], "办事处".to_string())
        );
        assert_eq!(parts("政府办"), (vec![], "政府办".to_string()));
        assert_eq!(
            parts("新疆维吾尔自治区 统计局"),
            (vec!["新疆维吾尔自治区"], "统计局".to_string())
        );
    }

    #[test]
    fn tells_the_body() {
        let body = |n: &str| AgencyParts::split(n).body();
        assert_eq!(body("长沙市芙蓉区"), Some(Body::Government));
        assert_eq!(body("重庆市荣昌区人民政府"), Some(Body::Government));
        assert_eq!(body("威海市文登区信访局"), Some(Body::Department));
        assert_eq!(body("杭州市上城区湖滨街道办事处"), Some(Body::Department));
        assert_eq!(body("长沙市芙蓉区凯发一触即发"), None);
    }

    #[test]
    fn agreement() {
        let a = |x: &str, y: &str| agree(&AgencyParts::split(x), &AgencyParts::split(y));
        assert_eq!(a("长沙市芙蓉区", "芙蓉区人民政府办公室"), Agreement::Same);
        assert_eq!(a("重庆市荣昌区人民政府", "荣昌区人民政府"), Agreement::Same);
        assert_eq!(a("某县教育局", "某县教育和体育局"), Agreement::Same);
        assert_eq!(
            a("长沙市芙蓉区", "长沙市天心区人民政府"),
            Agreement::OtherDivision {
                ours: "芙蓉区".into(),
                theirs: "天心区".into()
            }
        );
        assert_eq!(
            a("丽水市教育局", "丽水市卫生健康委员会"),
            Agreement::OtherOrgan
        );
    }

    #[test]
    fn pairs_reports_of_one_body() {
        assert!(same_body("重庆市荣昌区人民政府", "重庆市荣昌区"));
        assert!(same_body("舟山市财政局", "舟山市 财政局"));
        assert!(!same_body("舟山市财政局", "舟山市审计局"));
        assert!(!same_body("长沙市芙蓉区", "长沙市天心区"));
        assert!(!same_body("", ""));
    }
}
