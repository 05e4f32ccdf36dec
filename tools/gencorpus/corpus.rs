//! A deterministic generator of realistic 政府信息公开工作年度报告 drafts for benchmarks.
//!
//! Each report has Chinese prose paragraphs and the three statistics tables of the 2021 format,
//! and its numbers agree everywhere: the tables add up (row totals, column totals, the balance
//! of items 1 + 2 against 3 + 4, the review and lawsuit totals) and the prose quotes the tables
//! (application counts, outcome counts and their percentages, breakdowns after `其中`).
//! So `reportlint check` finds no errors in what this module writes.
//!
//! Tables come in the four shapes drafts are pasted in: Markdown pipe tables, tab-separated rows,
//! Word's one cell per line (`\tcell`, a blank line between rows, vertical header text) and web
//! copies (`cell |`, one per line, no blank lines anywhere).
//!
//! The module uses only `std`, so the benchmarks include it with `#[path]` and the `gencorpus`
//! example wraps it in a command line. The same seed always gives the same bytes.

#![allow(dead_code)]

use std::fmt::Write as _;

/// How a report's tables (and headings) are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `# title`, `## 一、…` and `| a | b |` pipe tables.
    Markdown,
    /// Plain headings and tab-separated rows, as copied from Excel.
    Tsv,
    /// One `\tcell` per line, a blank line between rows, vertical header text (from Word).
    Word,
    /// One `cell |` per line and no blank lines at all (copied from a web page).
    Web,
}

impl Shape {
    pub const ALL: [Shape; 4] = [Shape::Markdown, Shape::Tsv, Shape::Word, Shape::Web];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Markdown => "md",
            Shape::Tsv => "tsv",
            Shape::Word => "word",
            Shape::Web => "web",
        }
    }

    pub fn parse(s: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|x| x.name() == s)
    }

    /// The file extension a draft of this shape is saved with.
    pub fn extension(self) -> &'static str {
        match self {
            Shape::Markdown => "md",
            _ => "txt",
        }
    }
}

/// The default size of one report, in bytes.
pub const NORMAL_SIZE: usize = 30_000;

/// SplitMix64: small, fast and fully determined by its seed.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.next_u64() % (hi - lo + 1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.range(0, 99) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as u64 - 1) as usize]
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut x = self.range(0, total.saturating_sub(1));
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// Everything one report states, drawn from a seed.
#[derive(Clone, Debug)]
pub struct Facts {
    pub agency: String,
    /// How the agency calls itself in prose (`我局`, `本机关`, …).
    pub self_name: &'static str,
    pub year: u16,
    /// 规章 and 行政规范性文件: issued, repealed, in force.
    pub t2_rules: [u64; 3],
    pub t2_normative: [u64; 3],
    pub t2_license: u64,
    pub t2_punish: u64,
    pub t2_enforce: u64,
    /// 万元 with two decimals, as hundredths.
    pub t2_fee_cents: u64,
    /// `t3[row][col]`: rows R01..R25, columns natural, commercial, research, welfare, legal,
    /// other, total.
    pub t3: [[u64; 7]; 25],
    /// 行政复议 (keep, correct, other, pending, total), then lawsuits without and after review.
    pub t4: [u64; 15],
}

const R_NEW: usize = 0;
const R_CARRIED: usize = 1;
const R_FIRST_RESULT: usize = 2;
const R_LAST_RESULT: usize = 22;
const R_TOTAL: usize = 23;
const R_CARRY_NEXT: usize = 24;
const TOTAL: usize = 6;

/// Relative frequency of each outcome row R03..R23 in real reports.
const RESULT_WEIGHTS: [u64; 21] = [
    40, 8, 1, 1, 1, 3, 2, 2, 1, 3, 25, 3, 3, 4, 4, 1, 1, 1, 4, 0, 5,
];

const PLACES: &[(&str, &[&str])] = &[
    (
        "浙江省杭州市",
        &["西湖区", "上城区", "拱墅区", "余杭区", "临平区"],
    ),
    ("江苏省苏州市", &["姑苏区", "吴中区", "相城区", "吴江区"]),
    ("广东省佛山市", &["南海区", "顺德区", "禅城区", "三水区"]),
    ("四川省成都市", &["武侯区", "锦江区", "青羊区", "金牛区"]),
    ("湖北省宜昌市", &["西陵区", "伍家岗区", "夷陵区", "点军区"]),
    ("山东省青岛市", &["市南区", "市北区", "黄岛区", "崂山区"]),
    ("河南省洛阳市", &["涧西区", "西工区", "老城区", "洛龙区"]),
    ("福建省泉州市", &["鲤城区", "丰泽区", "洛江区", "泉港区"]),
    ("湖南省株洲市", &["天元区", "芦淞区", "荷塘区", "石峰区"]),
    ("安徽省芜湖市", &["镜湖区", "鸠江区", "弋江区", "湾沚区"]),
    ("江西省赣州市", &["章贡区", "南康区", "赣县区", "蓉江新区"]),
    (
        "广西壮族自治区柳州市",
        &["城中区", "鱼峰区", "柳南区", "柳北区"],
    ),
    ("云南省曲靖市", &["麒麟区", "沾益区", "马龙区"]),
    ("陕西省宝鸡市", &["渭滨区", "金台区", "陈仓区", "凤翔区"]),
    (
        "河北省保定市",
        &["竞秀区", "莲池区", "满城区", "清苑区", "徐水区"],
    ),
    ("山西省长治市", &["潞州区", "上党区", "屯留区", "潞城区"]),
    ("吉林省吉林市", &["昌邑区", "龙潭区", "船营区", "丰满区"]),
    ("贵州省遵义市", &["红花岗区", "汇川区", "播州区"]),
    ("甘肃省天水市", &["秦州区", "麦积区"]),
    (
        "黑龙江省齐齐哈尔市",
        &["龙沙区", "建华区", "铁锋区", "昂昂溪区"],
    ),
];

const DEPARTMENTS: &[(&str, &str)] = &[
    ("人民政府", "本机关"),
    ("人民政府办公室", "我办"),
    ("发展和改革局", "我局"),
    ("教育局", "我局"),
    ("民政局", "我局"),
    ("司法局", "我局"),
    ("财政局", "我局"),
    ("人力资源和社会保障局", "我局"),
    ("自然资源和规划局", "我局"),
    ("住房和城乡建设局", "我局"),
    ("交通运输局", "我局"),
    ("水利局", "我局"),
    ("农业农村局", "我局"),
    ("商务局", "我局"),
    ("文化广电旅游体育局", "我局"),
    ("卫生健康局", "我局"),
    ("应急管理局", "我局"),
    ("审计局", "我局"),
    ("市场监督管理局", "我局"),
    ("统计局", "我局"),
    ("医疗保障局", "我局"),
    ("城市管理局", "我局"),
    ("退役军人事务局", "我局"),
    ("生态环境分局", "我局"),
];

/// Street offices per district, and the characters their names are made of: every street of
/// every district gets its own name (a checker pairs reports by district and office name).
const STREETS_PER_DISTRICT: usize = 10;
const STREET_FIRST: [char; 28] = [
    '东', '南', '西', '北', '新', '长', '清', '丰', '文', '安', '和', '平', '永', '宁', '兴', '华',
    '富', '康', '福', '金', '玉', '龙', '凤', '青', '翠', '锦', '泰', '德',
];
const STREET_SECOND: [char; 28] = [
    '湖', '苑', '关', '城', '园', '河', '昌', '桥', '山', '林', '门', '塘', '港', '溪', '坪', '岗',
    '湾', '庄', '口', '坝', '亭', '洲', '阳', '源', '泉', '江', '岭', '峰',
];

/// How many different agencies the generator can name.
pub fn agency_count() -> usize {
    let districts: usize = PLACES.iter().map(|(_, d)| d.len()).sum();
    districts * (DEPARTMENTS.len() + STREETS_PER_DISTRICT)
}

/// The `i`-th agency: a department or a street office of a city district, and how its report
/// calls it in prose.
pub fn agency_name(i: usize) -> (String, &'static str) {
    let per_district = DEPARTMENTS.len() + STREETS_PER_DISTRICT;
    let mut district_no = (i % agency_count()) / per_district;
    let street_no = district_no * STREETS_PER_DISTRICT;
    let unit = i % per_district;
    for (city, districts) in PLACES {
        if district_no >= districts.len() {
            district_no -= districts.len();
            continue;
        }
        let district = districts[district_no];
        // `浙江省杭州市` is written `杭州市`; an autonomous region keeps only the city too.
        let city = ["省", "自治区"]
            .iter()
            .filter_map(|m| city.find(m).map(|i| &city[i + m.len()..]))
            .next()
            .unwrap_or(city);
        return match DEPARTMENTS.get(unit) {
            Some((dept, me)) => (format!("{city}{district}{dept}"), me),
            None => {
                let g = street_no + unit - DEPARTMENTS.len();
                let first = STREET_FIRST[g / STREET_SECOND.len() % STREET_FIRST.len()];
                let second = STREET_SECOND[g % STREET_SECOND.len()];
                (
                    format!("{city}{district}{first}{second}街道办事处"),
                    "我街道",
                )
            }
        };
    }
    (format!("某区单位{i}"), "本机关")
}

impl Facts {
    /// The facts of one report of `agency` for `year`, the numbers drawn from `rng`.
    pub fn draw(rng: &mut Rng, year: u16, agency: usize) -> Facts {
        let (agency, self_name) = agency_name(agency);
        // Agencies range from a few applications a year to several hundred.
        let size = *rng.pick(&[0u64, 8, 30, 80, 200, 450]);
        let mut t3 = [[0u64; 7]; 25];
        if size > 0 {
            let col_scale = [
                size,
                size / 5,
                size / 100 + 1,
                size / 100 + 1,
                size / 40 + 1,
                size / 30 + 1,
            ];
            for (col, scale) in col_scale.iter().enumerate() {
                let new = if col == 0 {
                    rng.range(scale / 2 + 1, *scale)
                } else {
                    rng.range(0, *scale)
                };
                let carried = rng.range(0, new / 10);
                let carry_next = rng.range(0, (new + carried) / 10);
                let handled = new + carried - carry_next;
                t3[R_NEW][col] = new;
                t3[R_CARRIED][col] = carried;
                t3[R_CARRY_NEXT][col] = carry_next;
                for _ in 0..handled {
                    let r = R_FIRST_RESULT + rng.weighted(&RESULT_WEIGHTS);
                    t3[r][col] += 1;
                }
                t3[R_TOTAL][col] = handled;
            }
        }
        for row in t3.iter_mut() {
            row[TOTAL] = row[..TOTAL].iter().sum();
        }
        let mut t4 = [0u64; 15];
        if size > 0 && rng.chance(60) {
            for group in 0..3 {
                let max = if group == 0 { 3 } else { 1 };
                let keep = rng.range(0, max);
                // Lost cases are rare: most reports say so explicitly.
                let correct = if rng.chance(15) { 1 } else { 0 };
                let other = rng.range(0, 1);
                let pending = rng.range(0, 1);
                let base = group * 5;
                t4[base..base + 4].copy_from_slice(&[keep, correct, other, pending]);
                t4[base + 4] = keep + correct + other + pending;
            }
        }
        let made = rng.range(0, 3);
        let normative_made = rng.range(0, 30);
        Facts {
            agency,
            self_name,
            year,
            t2_rules: [made, rng.range(0, made), rng.range(made, 40)],
            t2_normative: [
                normative_made,
                rng.range(0, 12),
                rng.range(normative_made, 220),
            ],
            t2_license: if rng.chance(30) {
                0
            } else {
                rng.range(0, 20_000)
            },
            t2_punish: rng.range(0, 3_000),
            t2_enforce: rng.range(0, 300),
            t2_fee_cents: if rng.chance(70) {
                0
            } else {
                rng.range(1, 50_000)
            },
            t3,
            t4,
        }
    }

    fn metric(&self, row: usize) -> u64 {
        self.t3[row][TOTAL]
    }

    fn rows_total(&self, rows: std::ops::RangeInclusive<usize>) -> u64 {
        rows.map(|r| self.t3[r][TOTAL]).sum()
    }

    fn new_apps(&self) -> u64 {
        self.metric(R_NEW)
    }

    fn carried(&self) -> u64 {
        self.metric(R_CARRIED)
    }

    fn handled(&self) -> u64 {
        self.metric(R_TOTAL)
    }

    fn carry_next(&self) -> u64 {
        self.metric(R_CARRY_NEXT)
    }

    fn reviews(&self) -> u64 {
        self.t4[4]
    }

    fn lawsuits(&self) -> u64 {
        self.t4[9] + self.t4[14]
    }

    fn lawsuits_lost(&self) -> u64 {
        self.t4[6] + self.t4[11]
    }
}

/// `n` as a share of `whole` with one decimal, rounded half up: `45.3`.
pub fn percent(n: u64, whole: u64) -> String {
    let tenths = (2000 * n + whole) / (2 * whole);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The rows of one table; `""` is an empty cell.
type Grid = Vec<Vec<String>>;

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn padded(mut cells: Vec<String>, width: usize) -> Vec<String> {
    cells.resize(width, String::new());
    cells
}

const T3_LABELS: [(&str, &str, &str); 25] = [
    ("一、本年新收政府信息公开申请数量", "", ""),
    ("二、上年结转政府信息公开申请数量", "", ""),
    ("三、本年度办理结果", "（一）予以公开", ""),
    (
        "",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "",
    ),
    ("", "（三）不予公开", "1.属于国家秘密"),
    ("", "", "2.其他法律行政法规禁止公开"),
    ("", "", "3.危及“三安全一稳定”"),
    ("", "", "4.保护第三方合法权益"),
    ("", "", "5.属于三类内部事务信息"),
    ("", "", "6.属于四类过程性信息"),
    ("", "", "7.属于行政执法案卷"),
    ("", "", "8.属于行政查询事项"),
    ("", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("", "", "2.没有现成信息需要另行制作"),
    ("", "", "3.补正后申请内容仍不明确"),
    ("", "（五）不予处理", "1.信访举报投诉类申请"),
    ("", "", "2.重复申请"),
    ("", "", "3.要求提供公开出版物"),
    ("", "", "4.无正当理由大量反复申请"),
    ("", "", "5.要求行政机关确认或重新出具已获取信息"),
    (
        "",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "",
        "",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("", "", "3.其他"),
    ("", "（七）总计", ""),
    ("四、结转下年度继续办理", "", ""),
];

fn t2_grid(f: &Facts) -> Grid {
    let n = |x: u64| x.to_string();
    let fee = if f.t2_fee_cents == 0 {
        "0".to_string()
    } else {
        format!("{}.{:02}", f.t2_fee_cents / 100, f.t2_fee_cents % 100)
    };
    let w = 4;
    vec![
        padded(row(&["第二十条第（一）项"]), w),
        row(&["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]),
        vec![
            "规章".into(),
            n(f.t2_rules[0]),
            n(f.t2_rules[1]),
            n(f.t2_rules[2]),
        ],
        vec![
            "行政规范性文件".into(),
            n(f.t2_normative[0]),
            n(f.t2_normative[1]),
            n(f.t2_normative[2]),
        ],
        padded(row(&["第二十条第（五）项"]), w),
        padded(row(&["信息内容", "本年处理决定数量"]), w),
        padded(vec!["行政许可".into(), n(f.t2_license)], w),
        padded(row(&["第二十条第（六）项"]), w),
        padded(row(&["信息内容", "本年处理决定数量"]), w),
        padded(vec!["行政处罚".into(), n(f.t2_punish)], w),
        padded(vec!["行政强制".into(), n(f.t2_enforce)], w),
        padded(row(&["第二十条第（八）项"]), w),
        padded(row(&["信息内容", "本年收费金额（单位：万元）"]), w),
        padded(vec!["行政事业性收费".into(), fee], w),
    ]
}

fn t3_grid(f: &Facts) -> Grid {
    let w = 10;
    let mut g = vec![
        padded(
            row(&[
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                "",
                "",
                "申请人情况",
            ]),
            w,
        ),
        row(&[
            "",
            "",
            "",
            "自然人",
            "法人或其他组织",
            "",
            "",
            "",
            "",
            "总计",
        ]),
        row(&[
            "",
            "",
            "",
            "",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
            "",
        ]),
    ];
    for (r, (a, b, c)) in T3_LABELS.iter().enumerate() {
        let mut cells = row(&[a, b, c]);
        cells.extend(f.t3[r].iter().map(|v| v.to_string()));
        g.push(cells);
    }
    g
}

fn t4_grid(f: &Facts) -> Grid {
    let outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    let mut head1 = padded(row(&["行政复议"]), 5);
    head1.push("行政诉讼".into());
    let mut head2: Vec<String> = outcomes.iter().map(|s| s.to_string()).collect();
    head2.extend(padded(row(&["未经复议直接起诉"]), 5));
    head2.extend(padded(row(&["复议后起诉"]), 5));
    let mut head3 = vec![String::new(); 5];
    for _ in 0..2 {
        head3.extend(outcomes.iter().map(|s| s.to_string()));
    }
    vec![
        padded(head1, 15),
        head2,
        head3,
        f.t4.iter().map(|v| v.to_string()).collect(),
    ]
}

/// Writes a table in the given shape; the text ends with a newline.
fn render_table(out: &mut String, grid: &Grid, shape: Shape) {
    match shape {
        Shape::Markdown => {
            for (i, r) in grid.iter().enumerate() {
                out.push_str("| ");
                out.push_str(&r.join(" | "));
                out.push_str(" |\n");
                if i == 0 {
                    out.push_str("| ");
                    out.push_str(&vec!["---"; r.len()].join(" | "));
                    out.push_str(" |\n");
                }
            }
        }
        Shape::Tsv => {
            for r in grid {
                out.push_str(&r.join("\t"));
                out.push('\n');
            }
        }
        Shape::Word => {
            for (i, r) in grid.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                for cell in r {
                    out.push('\t');
                    out.push_str(&word_cell(cell));
                    out.push('\n');
                }
            }
        }
        Shape::Web => {
            let width = grid.iter().map(Vec::len).max().unwrap_or(0);
            for r in grid {
                let cells: Vec<&String> = r.iter().filter(|c| !c.is_empty()).collect();
                for (i, cell) in cells.iter().enumerate() {
                    out.push_str(cell);
                    out.push_str(" |");
                    if i + 1 == cells.len() && cells.len() < width {
                        out.push(' ');
                        out.push_str(&"|".repeat(width - cells.len()));
                    }
                    out.push('\n');
                }
            }
        }
    }
}

/// Word wraps narrow header cells one character a line, and group labels after the numbering.
fn word_cell(cell: &str) -> String {
    let chars: Vec<char> = cell.chars().collect();
    if (2..=4).contains(&chars.len()) && chars.iter().all(|c| !c.is_ascii()) {
        return chars
            .iter()
            .map(char::to_string)
            .collect::<Vec<_>>()
            .join("\n");
    }
    if let Some(rest) = cell.strip_suffix("不予公开") {
        return format!("{rest}\n不予\n公开");
    }
    if let Some(rest) = cell.strip_suffix("无法提供") {
        return format!("{rest}\n无法\n提供");
    }
    cell.to_string()
}

// Prose. Placeholders: {A} the agency, {S} how it calls itself, {Y} the year, {Z} the next
// year, {n} a number from 10 to 999, {k} a number from 2 to 30. No sentence has a count of
// 件 or a percentage: those come only from the facts, so the checker can verify every one.

const OPENING: &[&str] = &[
    "{Y}年，{A}坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》）和上级关于全面推进政务公开工作的决策部署，紧紧围绕中心工作和群众关注关切，持续加大主动公开力度，规范办理依申请公开，加强政府信息管理，推进公开平台建设，强化监督保障，政务公开工作取得了新成效。",
    "{Y}年，在上级政务公开主管部门的有力指导下，{A}认真贯彻落实《中华人民共和国政府信息公开条例》和国务院办公厅关于政务公开工作的部署要求，坚持以公开促落实、以公开促规范、以公开促服务，不断提升政务公开标准化规范化水平，较好地保障了人民群众的知情权、参与权、表达权和监督权。",
];

const PROACTIVE: &[&str] = &[
    "坚持“公开为常态、不公开为例外”原则，围绕重大决策部署、重点领域信息和社会关切，及时准确发布政府信息。",
    "全面落实政务公开标准目录要求，将公开任务细化分解到各科室和下属单位，明确责任人和完成时限。",
    "聚焦优化营商环境，集中公开涉企政策、行政许可和行政处罚等信息，方便企业和群众查询办事。",
    "围绕民生实事项目，定期公开项目进度、资金使用和建设成效，主动接受社会监督。",
    "加强政策解读，坚持政策文件与解读材料同步组织、同步审签、同步发布，全年发布图解、视频等多形式解读{k}篇。",
    "对涉及群众切身利益的重要政策文件，通过新闻发布会、在线访谈等方式进行权威解读，全年召开新闻发布会{k}场。",
    "做好财政预决算和“三公”经费公开，按规定时限在政府门户网站集中公开部门预算、决算及说明。",
    "及时公开重点建设项目批准和实施、公共资源配置、社会公益事业建设等领域信息。",
    "在政府门户网站开设专题专栏{k}个，集中展示重点工作推进情况和阶段成效。",
    "主动回应社会关切，对网络舆情和群众来信反映的问题做到及时发现、及时研判、及时回应，全年回应社会关切{n}次。",
    "加强规范性文件管理，对涉及公众权益的文件在出台前公开征求意见，全年组织公开征求意见{k}次。",
    "依法公开权责清单、公共服务事项清单和办事指南，确保事项要素准确完整、动态更新。",
    "坚持把公开贯穿于决策、执行、管理、服务、结果全过程，推动政务公开工作由“重数量”向“重质量”转变。",
    "组织开展政府开放日活动{k}次，邀请人大代表、政协委员和群众代表走进机关、参与监督。",
    "围绕乡村振兴、教育医疗、养老服务、就业创业等群众关注领域，编制发布办事指南和政策问答{n}条。",
    "严格落实重大行政决策预公开制度，对纳入年度目录的重大行政决策事项，提前向社会公开决策草案和起草说明。",
    "认真做好人大代表建议和政协提案办理结果公开，按规定公开办理复文和总体办理情况。",
];

const APPLICATION: &[&str] = &[
    "严格按照《条例》规定的程序和时限办理依申请公开，做到接收、登记、审核、答复全流程规范管理。",
    "进一步完善依申请公开工作机制，明确各环节责任分工，实行申请登记台账管理。",
    "加强与申请人的沟通，对申请内容不明确的，及时一次性告知补正事项，帮助申请人准确描述所需信息。",
    "对办理中遇到的疑难复杂申请，组织业务科室、法律顾问共同研究，确保答复内容合法、准确、规范。",
    "规范答复文书格式，统一答复模板，在答复中准确援引法律依据并告知救济途径。",
    "定期对依申请公开办理情况进行分析，对申请较为集中的信息及时转为主动公开。",
    "加强依申请公开工作人员培训，提升办理人员的法律意识和答复水平。",
];

const MANAGEMENT: &[&str] = &[
    "严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则，全年未发生泄密事件。",
    "建立健全公文公开属性源头认定机制，在公文拟制环节明确公开属性，对不予公开的说明理由。",
    "对现行有效的规范性文件进行全面清理，清理结果及时向社会公布，并在政府门户网站集中统一公开。",
    "及时更新政府信息公开指南和政府信息公开目录，确保公开内容准确、规范、完整。",
    "加强政府信息发布前的内容审核，建立“三审三校”制度，防止发布错误信息。",
    "对历年公开的政府信息进行梳理，及时调整过时信息，清理无效链接和空白栏目。",
    "推进政府信息管理动态调整，每季度对公开事项进行一次梳理，做到应公开尽公开。",
    "规范政务信息发布流程，明确信息采集、审核、发布、更新各环节的责任人。",
    "加强个人信息保护，在公开行政处罚决定等信息时对涉及个人隐私的内容进行去标识化处理。",
    "组织开展全量信息校对，全年校正错别字、过期链接等问题{k}处。",
];

const PLATFORM: &[&str] = &[
    "优化政府门户网站栏目设置，完成网站适老化和无障碍改造，提升网站的可用性和易用性。",
    "加强政务新媒体管理，依托微信公众号及时推送政策文件和解读信息，全年发布信息{n}条。",
    "规范政府信息公开查阅点建设，在政务服务大厅设置政务公开专区，为群众查阅政府信息提供便利。",
    "推进政务公开与政务服务深度融合，在政务服务中心设立政务公开专区，提供政策咨询、信息查阅等服务。",
    "完善政府网站智能问答功能，整合常见问题{n}条，提高回复的准确性和时效性。",
    "严格落实政务新媒体“三审三校”制度，建立政务新媒体常态化监管机制。",
    "积极利用政府公报、新闻发布会、广播电视等渠道，扩大政府信息覆盖面和影响力。",
    "加强网站安全防护，定期开展安全检测和漏洞扫描，确保网站安全稳定运行。",
    "深化基层政务公开标准化规范化建设，在村（社区）设置公开栏{k}个。",
];

const SUPERVISION: &[&str] = &[
    "加强组织领导，调整政务公开工作领导小组，明确分管领导和专职工作人员。",
    "强化业务培训，组织开展政务公开业务培训{k}次，累计培训{n}人次，进一步提升工作人员业务水平。",
    "开展日常监督检查，按季度对网站内容保障情况进行检查，发现问题及时整改。",
    "将政务公开工作纳入年度绩效考核，考核结果作为评先评优的重要依据。",
    "主动接受社会评议，聘请社会监督员{k}名，广泛听取群众对政务公开工作的意见建议。",
    "建立政务公开工作月通报制度，对工作落实不力的单位予以通报并督促整改。",
    "全年未发生因政府信息公开工作受到责任追究的情况。",
    "认真落实上级对政务公开工作的考核评估意见，逐项制定整改措施，按期完成整改。",
];

const PROBLEMS: &[&str] = &[
    "主动公开的深度和广度还需进一步拓展，部分领域信息更新不够及时",
    "政策解读形式还比较单一，图解、视频等多元化解读较少",
    "工作人员业务能力有待进一步提高",
    "依申请公开答复的规范化水平仍需提升",
    "基层政务公开标准化规范化建设还不够均衡",
    "政务新媒体互动回应的及时性有待增强",
    "政策文件解读与公众关切的结合还不够紧密",
];

const IMPROVEMENTS: &[&str] = &[
    "进一步拓展公开内容，围绕重点领域加大信息公开力度",
    "丰富政策解读形式，提升解读质量",
    "加强业务培训，不断提升政务公开工作人员业务水平",
    "健全依申请公开办理机制，提升答复规范化水平",
    "加快推进基层政务公开标准化规范化建设",
    "加强政务新媒体管理，提升互动回应效率",
    "建立政策解读与社会关切联动机制，增强解读的针对性",
];

const ORDINALS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "七"];

struct Writer<'a> {
    rng: Rng,
    facts: &'a Facts,
    shape: Shape,
}

impl Writer<'_> {
    fn fill(&mut self, template: &str) -> String {
        let f = self.facts;
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let end = rest[i..].find('}').map_or(rest.len(), |j| i + j);
            match &rest[i + 1..end] {
                "A" => out.push_str(&f.agency),
                "S" => out.push_str(f.self_name),
                "Y" => out.push_str(&f.year.to_string()),
                "Z" => out.push_str(&(f.year + 1).to_string()),
                "n" => {
                    let n = self.rng.range(10, 999);
                    out.push_str(&n.to_string());
                }
                "k" => {
                    let k = self.rng.range(2, 30);
                    out.push_str(&k.to_string());
                }
                other => out.push_str(other),
            }
            rest = &rest[(end + 1).min(rest.len())..];
        }
        out.push_str(rest);
        out
    }

    /// A paragraph of `min..=max` sentences from `bank`, none repeated within it.
    fn paragraph(&mut self, bank: &[&str], min: usize, max: usize) -> String {
        let n = self.rng.range(min as u64, max.min(bank.len()) as u64) as usize;
        let mut order: Vec<usize> = (0..bank.len()).collect();
        for i in 0..n {
            let j = self.rng.range(i as u64, order.len() as u64 - 1) as usize;
            order.swap(i, j);
        }
        let enumerate = n >= 3 && self.rng.chance(40);
        let mut out = String::new();
        for (i, &s) in order[..n].iter().enumerate() {
            if enumerate {
                out.push_str(ORDINALS[i]);
                out.push('是');
            }
            out.push_str(&self.fill(bank[s]));
        }
        out
    }

    /// `全年…{whole}条，其中A{a}条、B{b}条…`, the parts adding up to the whole, with or
    /// without each one's share.
    fn breakdown(&mut self, lead: &str, unit: &str, kinds: &[&str]) -> String {
        let parts: Vec<u64> = kinds.iter().map(|_| self.rng.range(1, 400)).collect();
        let whole: u64 = parts.iter().sum();
        let shares = self.rng.chance(50);
        let mut out = format!("{lead}{whole}{unit}，其中");
        for (i, (kind, n)) in kinds.iter().zip(&parts).enumerate() {
            if i > 0 {
                out.push_str(if shares { "；" } else { "、" });
            }
            if shares {
                let _ = write!(out, "{kind}{n}{unit}，占{}%", percent(*n, whole));
            } else {
                let _ = write!(out, "{kind}{n}{unit}");
            }
        }
        out.push('。');
        out
    }

    /// The paragraph that quotes the application table; every count is checked against it.
    fn applications(&mut self) -> String {
        let f = self.facts;
        let me = f.self_name;
        let y = f.year;
        if f.new_apps() == 0 && f.carried() == 0 {
            return format!(
                "{y}年，{me}未收到政府信息公开申请，无上年度结转申请，亦无结转下年度继续办理的申请。"
            );
        }
        let natural = f.t3[R_NEW][0] + f.t3[R_CARRIED][0];
        let orgs = f.new_apps() + f.carried() - natural;
        let mut out = format!(
            "{y}年，{me}共收到政府信息公开申请{}件（含上年度结转申请{}件），其中自然人申请{natural}件，法人或其他组织申请{orgs}件。",
            f.new_apps() + f.carried(),
            f.carried(),
        );
        let handled = f.handled();
        let _ = write!(
            out,
            "全年答复政府信息公开申请{handled}件，结转下年度继续办理{}件。",
            f.carry_next()
        );
        if handled == 0 {
            return out;
        }
        let outcomes = [
            ("予以公开", f.metric(2)),
            ("部分公开", f.metric(3)),
            ("不予公开", f.rows_total(4..=11)),
            ("无法提供", f.rows_total(12..=14)),
            ("不予处理", f.rows_total(15..=19)),
            ("其他处理", f.rows_total(20..=22)),
        ];
        let listed = self.rng.chance(50);
        out.push_str(if listed {
            "其中："
        } else {
            "从办理结果看，"
        });
        let mut first = true;
        for (name, n) in outcomes {
            if n == 0 && !listed {
                continue;
            }
            if !first {
                out.push('；');
            }
            first = false;
            if n == 0 {
                let _ = write!(out, "{name}0件");
            } else {
                let _ = write!(out, "{name}{n}件，占{}%", percent(n, handled));
            }
        }
        out.push('。');
        out
    }

    fn reviews(&mut self) -> String {
        let f = self.facts;
        let (rev, lit) = (f.reviews(), f.lawsuits());
        if rev == 0 && lit == 0 {
            return "全年未发生因政府信息公开工作引起的行政复议、行政诉讼案件。".into();
        }
        let mut out =
            format!("全年因政府信息公开工作被申请行政复议{rev}件、被提起行政诉讼{lit}件。");
        if lit > 0 && f.lawsuits_lost() == 0 {
            out.push_str("所涉诉讼案件均未出现败诉情况。");
        }
        out
    }

    fn title(&self) -> String {
        let f = self.facts;
        let t = format!("{}{}年政府信息公开工作年度报告", f.agency, f.year);
        match self.shape {
            Shape::Markdown => format!("# {t}"),
            _ => t,
        }
    }

    fn heading(&self, i: usize, title: &str) -> String {
        match self.shape {
            Shape::Markdown => format!("## {}、{title}", ORDINALS[i]),
            _ => format!("{}、{title}", ORDINALS[i]),
        }
    }
}

/// A report as a list of blocks (paragraphs, headings, tables); joined by a blank line, or by
/// a single newline for web copies.
struct Draft {
    blocks: Vec<String>,
    /// Where prose may be added to reach the target size: (block index to insert before, topic).
    slots: Vec<(usize, &'static [&'static str])>,
}

/// The `index`-th report of the corpus `seed`: about `size` bytes, written in `shape`, its
/// agency, year and numbers fully determined by `seed` and `index` (not by `shape`, so one index
/// gives the same report in every shape).
///
/// Reports of one corpus never share an agency, for up to [`agency_count`]` / 2` reports on
/// either side of [`COMPENDIUM_FIRST`]: a checker that compares a report with the same agency's
/// report of the year before finds nothing to compare.
pub fn report(seed: u64, index: u64, shape: Shape, size: usize) -> String {
    let mut rng = Rng::new(report_seed(seed, index));
    let facts = Facts::draw(&mut rng, report_year(seed, index), agency_of(seed, index));
    report_with(rng, &facts, shape, size)
}

/// The first index of the reports of a compendium.
pub const COMPENDIUM_FIRST: u64 = 1 << 32;

/// The agency of the `index`-th report: a permutation of all agencies, so no two reports of a
/// corpus share one (normal reports count up from the first slot, a compendium's from half way).
fn agency_of(seed: u64, index: u64) -> usize {
    let n = agency_count() as u64;
    let slot = if index >= COMPENDIUM_FIRST {
        n / 2 + (index - COMPENDIUM_FIRST)
    } else {
        index
    } % n;
    // An affine permutation of 0..n: a stride coprime with n and a seeded offset.
    let gcd = |mut a: u64, mut b: u64| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let stride = [7919u64, 7927, 7933, 7937, 7949, 7951]
        .into_iter()
        .find(|p| gcd(*p, n) == 1)
        .unwrap_or(1);
    ((slot * stride + seed % n) % n) as usize
}

pub fn report_with(rng: Rng, facts: &Facts, shape: Shape, size: usize) -> String {
    let mut w = Writer { rng, facts, shape };
    let f = facts;
    let y = f.year;
    let mut d = Draft {
        blocks: Vec::new(),
        slots: Vec::new(),
    };
    d.blocks.push(w.title());
    d.blocks.push(format!(
        "本年度报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）编制，全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。本年度报告中所列数据统计期限为{y}年1月1日至12月31日。"
    ));
    d.blocks.push(w.heading(0, "总体情况"));
    let opening = *w.rng.pick(OPENING);
    d.blocks.push(w.fill(opening));

    let topics: [(&str, &'static [&'static str]); 5] = [
        ("主动公开", PROACTIVE),
        ("依申请公开", APPLICATION),
        ("政府信息管理", MANAGEMENT),
        ("政府信息公开平台建设", PLATFORM),
        ("监督保障", SUPERVISION),
    ];
    for (i, (name, bank)) in topics.iter().enumerate() {
        let numbering = format!("（{}）{name}", ORDINALS[i]);
        let first = w.paragraph(bank, 2, 4);
        // Drafts put the sub-item heading on its own line or at the start of the paragraph.
        if w.rng.chance(50) {
            d.blocks.push(numbering);
            d.blocks.push(first);
        } else {
            d.blocks.push(format!("{numbering}。{first}"));
        }
        match i {
            0 => {
                let s = w.breakdown(
                    "全年通过政府门户网站主动公开政府信息",
                    "条",
                    &["政策文件", "工作动态", "通知公告", "人事信息"],
                );
                d.blocks.push(s);
            }
            1 => {
                let apps = w.applications();
                let reviews = w.reviews();
                d.blocks.push(format!("{apps}{reviews}"));
            }
            3 => {
                let s = w.breakdown(
                    "全年通过政务新媒体发布信息",
                    "条",
                    &["政策解读", "便民服务", "工作动态"],
                );
                d.blocks.push(s);
            }
            _ => {}
        }
        d.slots.push((d.blocks.len(), bank));
    }

    d.blocks.push(w.heading(1, "主动公开政府信息情况"));
    let mut t = String::new();
    render_table(&mut t, &t2_grid(f), shape);
    d.blocks.push(t.trim_end_matches('\n').to_string());

    d.blocks
        .push(w.heading(2, "收到和处理政府信息公开申请情况"));
    let mut t = String::new();
    render_table(&mut t, &t3_grid(f), shape);
    d.blocks.push(t.trim_end_matches('\n').to_string());

    d.blocks
        .push(w.heading(3, "政府信息公开行政复议、行政诉讼情况"));
    let mut t = String::new();
    render_table(&mut t, &t4_grid(f), shape);
    d.blocks.push(t.trim_end_matches('\n').to_string());

    d.blocks.push(w.heading(4, "存在的主要问题及改进情况"));
    let problems = enumerated(&mut w.rng, PROBLEMS);
    d.blocks.push(format!("（一）存在的主要问题。{problems}"));
    let improvements = enumerated(&mut w.rng, IMPROVEMENTS);
    d.blocks.push(format!(
        "（二）改进情况。{}年，{}将从以下方面加以改进：{improvements}",
        y + 1,
        f.agency
    ));
    d.blocks.push(format!(
        "针对上年度报告中提出的问题，{}逐项制定整改措施，明确责任科室和完成时限，目前已全部整改完毕。",
        f.self_name
    ));

    d.blocks.push(w.heading(5, "其他需要报告的事项"));
    d.blocks.push(format!(
        "按照《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）规定，{}{y}年度未收取信息处理费。",
        f.agency
    ));
    d.blocks.push(format!(
        "{y}年，{}认真落实本年度政务公开工作要点，各项任务均已按期完成，有关落实情况已在政府门户网站公开。",
        f.self_name
    ));
    d.blocks.push(f.agency.clone());
    d.blocks
        .push(format!("{}年1月{}日", y + 1, w.rng.range(10, 28)));

    // Add prose where a drafter would write more, until the report reaches its size.
    let joiner = if shape == Shape::Web { "\n" } else { "\n\n" };
    let mut len: usize = d.blocks.iter().map(|b| b.len() + joiner.len()).sum();
    let mut added: Vec<Vec<String>> = vec![Vec::new(); d.slots.len()];
    let mut turn = 0;
    while len < size {
        let slot = turn % d.slots.len();
        let bank = d.slots[slot].1;
        let p = w.paragraph(bank, 3, 6);
        len += p.len() + joiner.len();
        added[slot].push(p);
        turn += 1;
    }
    let mut out = String::with_capacity(len + 64);
    let mut next_slot = 0;
    for (i, block) in d.blocks.iter().enumerate() {
        while next_slot < d.slots.len() && d.slots[next_slot].0 == i {
            for p in &added[next_slot] {
                out.push_str(p);
                out.push_str(joiner);
            }
            next_slot += 1;
        }
        out.push_str(block);
        out.push_str(joiner);
    }
    // Drafts end with one newline.
    out.truncate(out.trim_end_matches('\n').len());
    out.push('\n');
    out
}

/// `一是…；二是…；三是…。` from three or four items of `bank`.
fn enumerated(rng: &mut Rng, bank: &[&str]) -> String {
    let n = rng.range(3, 4) as usize;
    let mut order: Vec<usize> = (0..bank.len()).collect();
    for i in 0..n {
        let j = rng.range(i as u64, order.len() as u64 - 1) as usize;
        order.swap(i, j);
    }
    let items: Vec<String> = order[..n]
        .iter()
        .enumerate()
        .map(|(i, &k)| format!("{}是{}", ORDINALS[i], bank[k]))
        .collect();
    format!("{}。", items.join("；"))
}

/// The seed of the `index`-th report drawn from `seed`.
pub fn report_seed(seed: u64, index: u64) -> u64 {
    let mut r = Rng::new(seed.wrapping_mul(31).wrapping_add(index));
    r.next_u64()
}

/// The year of the `index`-th report of a corpus (2021 to 2025).
pub fn report_year(seed: u64, index: u64) -> u16 {
    2021 + (report_seed(seed, index) % 5) as u16
}

/// `count` reports of different agencies and years one after another, as in a compendium
/// (汇编) of a city's reports; the shapes take turns unless `only` is given.
pub fn compendium(seed: u64, count: usize, size: usize, only: Option<Shape>) -> String {
    let mut out = String::with_capacity(count * (size + 1024));
    for i in 0..count {
        let shape = only.unwrap_or(Shape::ALL[i % Shape::ALL.len()]);
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&report(seed, COMPENDIUM_FIRST + i as u64, shape, size));
    }
    out
}

/// A byte offset near `fraction` of the way into `text` where typing a character changes a
/// prose paragraph and nothing else: the middle of the first long line of Chinese text (no
/// tabs, no pipes, not a heading) at or after that point.
pub fn edit_point(text: &str, fraction: f64) -> usize {
    let target = ((text.len() as f64) * fraction) as usize;
    let mut first = None;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let prose = body.len() > 300
            && !body.contains('\t')
            && !body.contains('|')
            && !body.starts_with('#');
        if prose {
            let mut p = start + body.len() / 2;
            while !text.is_char_boundary(p) {
                p += 1;
            }
            if start + line.len() > target {
                return p;
            }
            first.get_or_insert(p);
        }
        start += line.len();
    }
    first.unwrap_or(0)
}
