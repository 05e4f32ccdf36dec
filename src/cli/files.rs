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
}

const EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// The inputs that `paths` name, in order; directories are walked (sorted, hidden entries
/// skipped) for Markdown and text files. Paths that do not exist are returned as errors.
pub fn discover(
    paths: &[PathBuf],
    stdin_name: Option<&str>,
    lang: Lang,
) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            let display = stdin_name.unwrap_or("<stdin>").to_string();
            inputs.push(Input {
                flavour: Flavour::from_path(&display),
                display,
                path: None,
            });
            continue;
        }
        match fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut inputs, &mut errors, lang),
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

fn input_for(p: &Path) -> Input {
    let display = p.display().to_string();
    Input {
        flavour: Flavour::from_path(&display),
        display,
        path: Some(p.to_path_buf()),
    }
}

fn walk(dir: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<String>, lang: Lang) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            let shown = dir.display();
            let why = io_reason(&e, lang);
            errors.push(tr!(lang, "{shown}：{why}", "{shown}: {why}"));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        // Do not follow links to directories: they can loop.
        let Ok(meta) = fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            walk(&p, inputs, errors, lang);
        } else if has_extension(&p) && fs::metadata(&p).is_ok_and(|m| m.is_file()) {
            inputs.push(input_for(&p));
        }
    }
}

fn has_extension(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// A text read from a file, and how it was decoded when not plain UTF-8.
#[derive(Debug)]
pub struct Loaded {
    pub text: String,
    pub encoding: Option<&'static str>,
}

pub fn read(input: &Input, lang: Lang) -> Result<Loaded, String> {
    let bytes = match &input.path {
        Some(p) => fs::read(p),
        None => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map(|_| buf)
        }
    };
    let shown = &input.display;
    let bytes = bytes.map_err(|e| {
        let why = io_reason(&e, lang);
        tr!(lang, "{shown}：{why}", "{shown}: {why}")
    })?;
    decode(bytes).ok_or_else(|| {
        tr!(
            lang,
            "{shown}：不是文本文件（既不是 UTF-8，也不是 GB18030/GBK 编码）",
            "{shown}: not a text file (neither UTF-8 nor GB18030/GBK)"
        )
    })
}

/// Decodes bytes as UTF-8 (a BOM is dropped), UTF-16 with a BOM, or GB18030; `None` for
/// binary data or bytes valid in none of them.
pub fn decode(bytes: Vec<u8>) -> Option<Loaded> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).ok().map(|text| Loaded {
            text,
            encoding: None,
        });
    }
    for (bom, enc, name) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, "UTF-16LE"),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let text = enc.decode_without_bom_handling_and_without_replacement(rest)?;
            return Some(Loaded {
                text: text.into_owned(),
                encoding: Some(name),
            });
        }
    }
    if bytes.contains(&0) {
        return None;
    }
    match String::from_utf8(bytes) {
        Ok(text) => Some(Loaded {
            text,
            encoding: None,
        }),
        Err(e) => {
            let bytes = e.into_bytes();
            let text =
                encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(&bytes)?;
            Some(Loaded {
                text: text.into_owned(),
                encoding: Some("GB18030"),
            })
        }
    }
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
        let loaded = decode(gbk).unwrap();
        assert_eq!(loaded.text, "一、总体情况");
        assert_eq!(loaded.encoding, Some("GB18030"));
        let bom = [b"\xEF\xBB\xBF".as_slice(), "报告".as_bytes()].concat();
        let loaded = decode(bom).unwrap();
        assert_eq!(loaded.text, "报告");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "报告".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        assert_eq!(decode(utf16).unwrap().text, "报告");
        assert!(decode(vec![0x89, b'P', b'N', b'G', 0, 0, 0]).is_none());
        assert!(decode(vec![0xFF, 0x80, 0xFF]).is_none());
    }
}
