//! The Chinese glossary (www/i18n/glossary.json): one term per concept of the lecture. The
//! tests check that the glossary is well formed and that no Chinese text of the app (the two
//! zh-CN catalogs, the Chinese strings of the core's Rust sources, the preset surfaces, every
//! scene's texts and the HTML pages) uses a spelling the glossary replaces. A failure prints
//! every violation with where it is, the replaced spelling and the term to use.
#![cfg(not(target_arch = "wasm32"))]

use optiscape::scene::scenes;
use optiscape::surface::presets;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// One concept: the English term, the one Chinese term, the spellings it replaces and the
/// longer strings in which a replaced spelling is fine.
struct Term {
    en: String,
    zh: String,
    replaces: Vec<String>,
    allow: Vec<String>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("glossary: `{key}` must be an array in {v}"))
        .iter()
        .map(|s| {
            s.as_str()
                .unwrap_or_else(|| panic!("glossary: `{key}` holds a non-string in {v}"))
                .to_string()
        })
        .collect()
}

fn glossary() -> (Value, Vec<Term>) {
    let raw: Value = serde_json::from_str(&read("www/i18n/glossary.json"))
        .unwrap_or_else(|e| panic!("www/i18n/glossary.json: {e}"));
    let terms = raw["terms"]
        .as_array()
        .expect("glossary: `terms` must be an array")
        .iter()
        .map(|t| Term {
            en: t["en"]
                .as_str()
                .expect("glossary: every term has `en`")
                .into(),
            zh: t["zh"]
                .as_str()
                .expect("glossary: every term has `zh`")
                .into(),
            replaces: strings(t, "replaces"),
            allow: strings(t, "allow"),
        })
        .collect();
    (raw, terms)
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Byte ranges of every occurrence of `needle` in `text`.
fn occurrences(text: &str, needle: &str) -> Vec<(usize, usize)> {
    text.match_indices(needle)
        .map(|(i, m)| (i, i + m.len()))
        .collect()
}

/// Every use of a replaced spelling in `text` that no allowed string covers, as messages
/// naming `place`.
fn violations(terms: &[Term], place: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for term in terms {
        // Any glossary term and the entry's own allowances may contain a replaced spelling.
        let allowed: Vec<(usize, usize)> = terms
            .iter()
            .map(|t| t.zh.as_str())
            .chain(term.allow.iter().map(String::as_str))
            .flat_map(|a| occurrences(text, a))
            .collect();
        for variant in &term.replaces {
            // A longer spelling another entry replaces is named there, once (批次 in 批次大小).
            let longer: Vec<(usize, usize)> = terms
                .iter()
                .filter(|t| !std::ptr::eq(*t, term))
                .flat_map(|t| &t.replaces)
                .filter(|v| v.len() > variant.len() && v.contains(variant.as_str()))
                .flat_map(|v| occurrences(text, v))
                .collect();
            for (s, e) in occurrences(text, variant) {
                if longer.iter().any(|&(a, b)| a <= s && e <= b) {
                    continue;
                }
                if allowed.iter().any(|&(a, b)| a <= s && e <= b) {
                    continue;
                }
                let from = text[..s].char_indices().rev().nth(11).map_or(0, |(i, _)| i);
                let to = text[e..]
                    .char_indices()
                    .nth(12)
                    .map_or(text.len(), |(i, _)| e + i);
                out.push(format!(
                    "{place}: “{variant}” in “…{}…”: use “{}” ({})",
                    &text[from..to],
                    term.zh,
                    term.en
                ));
            }
        }
    }
    out
}

/// The string literals of Rust source that hold Chinese, with their line numbers.
fn chinese_literals(source: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = source.chars().collect();
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\n' => line += 1,
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '/' if next == Some('*') => {
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
                i += 2;
                continue;
            }
            '\'' => {
                // A char literal ('x', '\n'), or a lifetime ('static): skip the literal only.
                if next == Some('\\') {
                    i += 2;
                    while i < chars.len() && chars[i] != '\'' {
                        i += 1;
                    }
                } else if chars.get(i + 2) == Some(&'\'') {
                    i += 2;
                }
            }
            '"' => {
                let (start, mut s) = (line, String::new());
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    if let Some(&ch) = chars.get(i) {
                        line += usize::from(ch == '\n');
                        s.push(ch);
                    }
                    i += 1;
                }
                if s.chars().any(is_cjk) {
                    out.push((start, s));
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Every Chinese text of the app, as (place, text).
fn chinese_texts() -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for path in ["www/i18n/zh-CN.json", "www/classifier/i18n/zh-CN.json"] {
        let catalog: Value =
            serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        for (key, v) in catalog.as_object().expect("a catalog is an object") {
            if let Some(s) = v.as_str() {
                texts.push((format!("{path} key `{key}`"), s.to_string()));
            }
        }
    }
    let mut sources = vec![PathBuf::from("src/render/lang.rs")];
    let mut web: Vec<PathBuf> = std::fs::read_dir(root().join("src/web"))
        .expect("src/web")
        .map(|e| e.expect("src/web entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| Path::new("src/web").join(p.file_name().expect("a file name")))
        .collect();
    web.sort();
    sources.extend(web);
    for path in &sources {
        let path = path.to_str().expect("a UTF-8 path");
        for (line, s) in chinese_literals(&read(path)) {
            texts.push((format!("{path}:{line}"), s));
        }
    }
    for p in presets() {
        texts.push((
            format!("src/surface/presets.rs preset `{}` name_zh", p.id),
            p.name_zh.into(),
        ));
        texts.push((
            format!("src/surface/presets.rs preset `{}` description_zh", p.id),
            p.description_zh.into(),
        ));
    }
    for def in scenes() {
        let scene = (def.build)().unwrap_or_else(|e| panic!("scene {}: {e}", def.id));
        let json = serde_json::to_value(&scene).expect("a scene serializes");
        let before = texts.len();
        collect_zh(
            &json,
            &format!("{} scene `{}`", scene_file(def.id), def.id),
            &mut texts,
        );
        assert!(
            texts.len() >= before + 3,
            "scene {}: no Chinese texts found",
            def.id
        );
    }
    for path in [
        "index.html",
        "classifier.html",
        "scenes.html",
        "teaching.html",
        "embed.html",
    ] {
        for (n, line) in read(path).lines().enumerate() {
            if line.chars().any(is_cjk) {
                texts.push((format!("{path}:{}", n + 1), line.to_string()));
            }
        }
    }
    texts
}

/// The file of src/scene/ that defines the scene `id` (texts may also come from a preset).
fn scene_file(id: &str) -> String {
    let quoted = format!("id: \"{id}\"");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("src/scene"))
        .expect("src/scene")
        .map(|e| e.expect("src/scene entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .find(|p| std::fs::read_to_string(p).is_ok_and(|s| s.contains(&quoted)))
        .and_then(|p| p.file_name())
        .map_or_else(
            || "src/scene/?".into(),
            |f| format!("src/scene/{}", f.to_string_lossy()),
        )
}

/// The Chinese (`zh-CN`) strings of a scene's JSON, each named by its JSON path.
fn collect_zh(v: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                match (k.as_str(), child) {
                    ("zh-CN", Value::String(s)) => out.push((format!("{path}.zh-CN"), s.clone())),
                    _ => collect_zh(child, &format!("{path}.{k}"), out),
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_zh(child, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_glossary_is_well_formed() {
    let (raw, terms) = glossary();
    assert!(
        raw["about"].as_str().is_some_and(|s| !s.is_empty()),
        "glossary: `about` says what the file is"
    );
    assert!(
        !strings(&raw, "decisions").is_empty(),
        "glossary: `decisions` writes down the choices"
    );
    assert!(terms.len() >= 20, "glossary: {} terms", terms.len());
    let mut problems = Vec::new();
    for (i, t) in terms.iter().enumerate() {
        let name = format!("term {i} (`{}`)", t.en);
        if t.en.trim().is_empty() || t.zh.trim().is_empty() {
            problems.push(format!("{name}: empty `en` or `zh`"));
        }
        if !t.zh.chars().any(is_cjk) {
            problems.push(format!("{name}: `zh` “{}” holds no Chinese", t.zh));
        }
        if terms[..i].iter().any(|u| u.en == t.en) {
            problems.push(format!("{name}: `en` appears twice"));
        }
        if terms[..i].iter().any(|u| u.zh == t.zh) {
            problems.push(format!("{name}: `zh` “{}” appears twice", t.zh));
        }
        for (k, v) in t.replaces.iter().enumerate() {
            if v.trim().is_empty() || *v == t.zh || t.replaces[..k].contains(v) {
                problems.push(format!(
                    "{name}: replaced “{v}” is empty, the term or repeated"
                ));
            }
            if terms.iter().any(|u| u.zh == *v) {
                problems.push(format!("{name}: replaced “{v}” is another entry's term"));
            }
        }
        for a in &t.allow {
            if !t.replaces.iter().any(|v| a.contains(v.as_str())) {
                problems.push(format!(
                    "{name}: allowed “{a}” contains none of the replaced spellings"
                ));
            }
        }
        // The glossary's own terms use only glossary spellings.
        problems.extend(violations(&terms, &format!("glossary {name}"), &t.zh));
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn a_replaced_spelling_is_named_unless_a_longer_term_holds_it() {
    let (_, terms) = glossary();
    assert!(violations(&terms, "t", "停在全局最小值和局部最小值；最小值比例").is_empty());
    let v = violations(&terms, "t", "鞍点比最小值多");
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(
        v[0].contains("“最小值”") && v[0].contains("use “局部最小值”"),
        "{}",
        v[0]
    );
    assert!(violations(&terms, "t", "梯度消失问题").is_empty());
    assert_eq!(violations(&terms, "t", "梯度消失后停滞").len(), 1);
    assert!(violations(&terms, "t", "轮次（epoch）").is_empty());
    assert_eq!(
        chinese_literals("// \"注释\"\nfn f<'a>() { say(\"x\", \"最小值\"); let c = '\"'; }"),
        vec![(2, "最小值".to_string())]
    );
}

#[test]
fn chinese_texts_use_the_glossary_terms() {
    let (_, terms) = glossary();
    let texts = chinese_texts();
    assert!(
        texts.len() > 300,
        "only {} Chinese texts found",
        texts.len()
    );
    let found: Vec<String> = texts
        .iter()
        .flat_map(|(place, text)| violations(&terms, place, text))
        .collect();
    for v in &found {
        eprintln!("{v}");
    }
    assert!(
        found.is_empty(),
        "{} uses of a spelling the glossary (www/i18n/glossary.json) replaces:\n{}\n",
        found.len(),
        found.join("\n")
    );
}
