//! Finding the files to check and reading them: UTF-8 with or without a BOM, UTF-16 with a
//! BOM, and GB18030 (GBK), common for documents saved on Chinese Windows.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::document::Flavour;
use crate::lang::Lang;
use crate::tr;

/// A file (or standard input) to check.
#[derive(Clone, Debug)]
pub struct Input {
    /// The name shown in output.
    pub display: String,
    /// `None` for standard input.
    pub path: Option<PathBuf>,
    pub flavour: Flavour,
    /// A Word or web document, checked as the Markdown it imports to.
    pub import: Option<crate::import::Kind>,
}

impl Input {
    fn new(display: String, path: Option<PathBuf>) -> Input {
        let import = crate::import::import_path_kind(&display);
        Input {
            flavour: if import.is_some() {
                Flavour::Markdown
            } else {
                Flavour::from_path(&display)
            },
            display,
            path,
            import,
        }
    }
}

/// What a directory walk picks up: drafts in Markdown or text, Word documents and saved pages.
pub const EXTENSIONS: &[&str] = &["md", "markdown", "txt", "docx", "html", "htm"];

/// The inputs that `paths` name, in order; directories are walked (sorted, hidden entries
/// skipped) for Markdown and text files. Paths that do not exist are returned as errors.
pub fn discover(
    paths: &[PathBuf],
    stdin_name: Option<&str>,
    lang: Lang,
    keep: &dyn Fn(&Path, bool) -> bool,
) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            let display = stdin_name.unwrap_or("<stdin>").to_string();
            inputs.push(Input::new(display, None));
            continue;
        }
        match fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut inputs, &mut errors, lang, keep),
            Ok(_) => inputs.push(input_for(p)),
            Err(e) => {
                let shown = p.display();
                let why = io_reason(&e, lang);
                errors.push(tr!(lang, "{shown}：{why}", "{shown}: {why}"));
            }
        }
    }
    (inputs, errors)
}

pub fn input_for(p: &Path) -> Input {
    Input::new(p.display().to_string(), Some(p.to_path_buf()))
}

/// Walks a directory; `keep(path, is_dir)` applies the configuration's include and exclude.
fn walk(
    dir: &Path,
    inputs: &mut Vec<Input>,
    errors: &mut Vec<String>,
    lang: Lang,
    keep: &dyn Fn(&Path, bool) -> bool,
) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            let shown = dir.display();
            let why = io_reason(&e, lang);
            errors.push(tr!(lang, "{shown}：{why}", "{shown}: {why}"));
            return;
        }
    };
    // The entry's type comes with the listing on most file systems: no `stat` a file.
    let mut paths: Vec<(PathBuf, Option<fs::FileType>)> = entries
        .filter_map(Result::ok)
        .map(|e| (e.path(), e.file_type().ok()))
        .collect();
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    for (p, file_type) in paths {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        // Do not follow links to directories: they can loop.
        let Some(file_type) =
            file_type.or_else(|| fs::symlink_metadata(&p).ok().map(|m| m.file_type()))
        else {
            continue;
        };
        if file_type.is_dir() {
            if keep(&p, true) {
                walk(&p, inputs, errors, lang, keep);
            }
        } else if has_extension(&p)
            // A link is followed to see whether it leads to a file.
            && (file_type.is_file() || fs::metadata(&p).is_ok_and(|m| m.is_file()))
            && keep(&p, false)
        {
            inputs.push(input_for(&p));
        }
    }
}

pub fn has_extension(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// A text read from a file, and how it was decoded when not plain UTF-8.
#[derive(Debug)]
pub struct Loaded {
    pub text: String,
    /// `None` for UTF-8.
    pub encoding: Option<&'static str>,
    /// The file started with a byte-order mark (kept out of `text`).
    pub bom: bool,
    /// The bytes as read, to notice a change before writing; `None` when they are the text's
    /// own UTF-8 (most files: a second copy of each would only take memory).
    pub bytes: Option<Vec<u8>>,
    /// Imported from a Word or web document: what the import left out or guessed.
    pub imported: Option<Vec<crate::import::Note>>,
}

/// The largest input read, in bytes. A year's reports of a whole province fit many times over;
/// a device or pipe that never ends (`/dev/zero`) is refused here rather than read until memory
/// runs out.
pub const MAX_INPUT: u64 = 64 * 1024 * 1024;

/// Reads at most `MAX_INPUT` bytes; `Ok(None)` when there is more. `size` is what the file
/// says it holds (it may change while read): the buffer is made that large at once.
fn read_bounded(reader: impl Read, size: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::with_capacity(size.min(MAX_INPUT) as usize + 1);
    reader.take(MAX_INPUT + 1).read_to_end(&mut buf)?;
    Ok((buf.len() as u64 <= MAX_INPUT).then_some(buf))
}

pub fn read(input: &Input, lang: Lang) -> Result<Loaded, String> {
    let bytes = match &input.path {
        Some(p) => fs::File::open(p).and_then(|mut f| {
            let meta = f.metadata()?;
            if meta.is_file() && meta.len() <= MAX_INPUT {
                // A file's own `read_to_end` reads it whole in one call (its size is the hint);
                // through `take` it would go 8 KiB at a time.
                let mut buf = Vec::new();
                f.read_to_end(&mut buf)?;
                Ok((buf.len() as u64 <= MAX_INPUT).then_some(buf))
            } else {
                read_bounded(f, meta.len())
            }
        }),
        None => read_bounded(std::io::stdin().lock(), 0),
    };
    let shown = &input.display;
    let bytes = bytes
        .map_err(|e| {
            let why = io_reason(&e, lang);
            tr!(lang, "{shown}：{why}", "{shown}: {why}")
        })?
        .ok_or_else(|| {
            let mb = MAX_INPUT / (1024 * 1024);
            tr!(
                lang,
                "{shown}：超过 {mb} MB，不像是一份报告，未读取",
                "{shown}: larger than {mb} MB, not a report; not read"
            )
        })?;
    if let Some(kind) = input.import {
        return import(kind, bytes, shown, lang);
    }
    decode(bytes).ok_or_else(|| {
        tr!(
            lang,
            "{shown}：不是文本文件（既不是 UTF-8，也不是 GB18030/GBK 编码）",
            "{shown}: not a text file (neither UTF-8 nor GB18030/GBK)"
        )
    })
}

/// A Word or web document as Markdown.
fn import(
    kind: crate::import::Kind,
    bytes: Vec<u8>,
    shown: &str,
    lang: Lang,
) -> Result<Loaded, String> {
    let imported = match kind {
        crate::import::Kind::Docx => crate::import::import_docx(&bytes).map_err(|e| {
            let why = import_reason(&e, lang);
            tr!(lang, "{shown}：{why}", "{shown}: {why}")
        })?,
        crate::import::Kind::Html => {
            crate::import::import_html(&crate::import::decode_html(&bytes))
        }
    };
    // Imported documents are never written back: their bytes are not kept.
    drop(bytes);
    Ok(Loaded {
        text: imported.markdown,
        encoding: None,
        bom: false,
        bytes: None,
        imported: Some(imported.notes),
    })
}

/// Why a Word document cannot be read, in the user's language.
pub fn import_reason(e: &crate::import::ImportError, lang: Lang) -> String {
    use crate::import::ImportError;
    match (e, lang) {
        (_, Lang::En) => e.to_string(),
        (ImportError::NotZip(_), Lang::Zh) => "不是 .docx 文件（不是 zip 压缩包）".into(),
        (ImportError::LegacyWord, Lang::Zh) => {
            "是旧版 Word .doc 文件或加密文档，请先另存为 .docx".into()
        }
        (ImportError::MissingDocument, Lang::Zh) => {
            "不是 Word 文档（压缩包中没有 word/document.xml）".into()
        }
        (ImportError::Corrupt { part, message }, Lang::Zh) => {
            format!("无法解压 {part}（{message}）")
        }
        (ImportError::TooLarge { part, limit }, Lang::Zh) => {
            format!("{part} 超过 {} MiB", limit >> 20)
        }
        (ImportError::Xml { part, message }, Lang::Zh) => {
            format!("{part} 不是有效的 XML（{message}）")
        }
    }
}

/// Decodes bytes as UTF-8 (a BOM is dropped), UTF-16 with a BOM, or GB18030; `None` for
/// binary data or bytes valid in none of them.
pub fn decode(bytes: Vec<u8>) -> Option<Loaded> {
    // Most files: UTF-8 without a byte-order mark, taken as they are.
    let marked = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"]
        .iter()
        .any(|bom| bytes.starts_with(bom));
    if !marked && memchr::memchr(0, &bytes).is_none() {
        // encoding_rs checks UTF-8 about ten times faster than `String::from_utf8` on CJK text
        // (which it walks a character at a time); copying the checked text costs far less.
        let utf8 = encoding_rs::UTF_8.decode_without_bom_handling_and_without_replacement(&bytes);
        if let Some(text) = utf8 {
            return Some(Loaded {
                text: text.into_owned(),
                encoding: None,
                bom: false,
                bytes: None,
                imported: None,
            });
        }
    }
    let (text, encoding, bom) = decode_text(&bytes)?;
    Some(Loaded {
        text,
        encoding,
        bom,
        bytes: Some(bytes),
        imported: None,
    })
}

fn decode_text(bytes: &[u8]) -> Option<(String, Option<&'static str>, bool)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec())
            .ok()
            .map(|t| (t, None, true));
    }
    for (bom, enc, name) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, "UTF-16LE"),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let text = enc.decode_without_bom_handling_and_without_replacement(rest)?;
            return Some((text.into_owned(), Some(name), true));
        }
    }
    if bytes.contains(&0) {
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => Some((t.to_string(), None, false)),
        Err(_) => {
            let text =
                encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)?;
            Some((text.into_owned(), Some("GB18030"), false))
        }
    }
}

/// A text written back the way the file was: same encoding, same byte-order mark.
pub fn encode(text: &str, encoding: Option<&str>, bom: bool) -> Vec<u8> {
    match encoding {
        Some("UTF-16LE") => {
            let mut out = vec![0xFF, 0xFE];
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            out
        }
        Some("UTF-16BE") => {
            let mut out = vec![0xFE, 0xFF];
            out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            out
        }
        Some("GB18030") => encoding_rs::GB18030.encode(text).0.into_owned(),
        _ => {
            let mut out = Vec::with_capacity(text.len() + 3);
            if bom {
                out.extend_from_slice(b"\xEF\xBB\xBF");
            }
            out.extend_from_slice(text.as_bytes());
            out
        }
    }
}

/// Replaces a file's content atomically: a temporary file in the same directory, then a
/// rename, keeping the permissions. Refuses if the file no longer holds `expected`.
pub fn write_atomic(
    path: &Path,
    expected: &[u8],
    content: &[u8],
    lang: Lang,
) -> Result<(), String> {
    let shown = path.display().to_string();
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let current = fs::read(&target).map_err(|e| {
        let why = io_reason(&e, lang);
        tr!(lang, "{shown}：{why}", "{shown}: {why}")
    })?;
    if current != expected {
        return Err(tr!(
            lang,
            "{shown}：文件在检查期间被修改，未写入修复",
            "{shown}: the file changed while it was being checked; the fixes were not written"
        ));
    }
    let meta = fs::metadata(&target).map_err(|e| e.to_string())?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().to_string());
    let tmp = dir.join(format!(".{name}.reportlint-{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        use std::io::Write;
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(content)?;
        f.sync_all()?;
        drop(f);
        fs::set_permissions(&tmp, meta.permissions())?;
        fs::rename(&tmp, &target)
    })();
    written.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        tr!(
            lang,
            "{shown}：无法写入（{e}）",
            "{shown}: cannot write ({e})"
        )
    })
}

fn io_reason(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind;
    match (e.kind(), lang) {
        (ErrorKind::NotFound, Lang::Zh) => "没有这个文件或目录".into(),
        (ErrorKind::NotFound, Lang::En) => "no such file or directory".into(),
        (ErrorKind::PermissionDenied, Lang::Zh) => "没有读取权限".into(),
        (ErrorKind::PermissionDenied, Lang::En) => "permission denied".into(),
        (ErrorKind::IsADirectory, Lang::Zh) => "是目录".into(),
        (ErrorKind::IsADirectory, Lang::En) => "is a directory".into(),
        (_, Lang::Zh) => format!("无法读取（{e}）"),
        (_, Lang::En) => format!("cannot read ({e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let gbk = encoding_rs::GB18030.encode("一、总体情况").0.into_owned();
        let loaded = decode(gbk.clone()).unwrap();
        assert_eq!(loaded.text, "一、总体情况");
        assert_eq!(loaded.encoding, Some("GB18030"));
        assert_eq!(encode(&loaded.text, loaded.encoding, loaded.bom), gbk);
        let bom = [b"\xEF\xBB\xBF".as_slice(), "报告".as_bytes()].concat();
        let loaded = decode(bom.clone()).unwrap();
        assert_eq!(loaded.text, "报告");
        assert!(loaded.bom);
        assert_eq!(encode(&loaded.text, loaded.encoding, loaded.bom), bom);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "报告".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        let loaded = decode(utf16.clone()).unwrap();
        assert_eq!(loaded.text, "报告");
        assert_eq!(encode(&loaded.text, loaded.encoding, loaded.bom), utf16);
        assert!(decode(vec![0x89, b'P', b'N', b'G', 0, 0, 0]).is_none());
        assert!(decode(vec![0xFF, 0x80, 0xFF]).is_none());
    }

    #[test]
    fn atomic_writes_refuse_changed_files_and_keep_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("reportlint-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.txt");
        std::fs::write(&path, "旧").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert!(write_atomic(&path, "别的".as_bytes(), "新".as_bytes(), Lang::Zh).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "旧");
        write_atomic(&path, "旧".as_bytes(), "新".as_bytes(), Lang::Zh).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "新");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let leftovers = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
        let _ = std::fs::remove_dir_all(&dir);
        assert!(decode(vec![0xFF, 0x80, 0xFF]).is_none());
    }
}
