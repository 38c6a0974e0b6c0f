//! Random and mutated JSON for the fuzzers (`fuzz/configs.rs` natively, `tests/web_fuzz.rs` in
//! wasm): small seed configs of each kind, a JSON tree that keeps numbers as text and duplicate
//! keys, and [`mutate`]: a few changes to the tree (drop, duplicate, add and retype keys,
//! extreme and malformed numbers, long and control-character strings, deep nesting, subtrees
//! spliced from other configs), then now and then damage to the text's bytes.

use crate::rng::Rng;
use serde_json::Value;

pub const RUNS: &[&str] = &[
    r#"{"surface":"bowl","start":[1,1],"steps":3,"optimizer":{"name":"sgd","lr":0.1}}"#,
    r#"{"surface":"(1-x)^2+100*(y-x^2)^2","start":[-2,2],"steps":100,"optimizer":{"name":"sgd","lr":0.01}}"#,
    r#"{"surface":"rosenbrock","start":[-1.5,2],"steps":50,"optimizer":{"name":"adam","lr":0.01,"betas":[0.9,0.999],"amsgrad":true},"schedule":{"name":"cosine","t_max":50,"eta_min":0.001},"noise":{"batch_size":4,"scale":0.5,"seed":7},"bound":1000000}"#,
    r#"{"surface":"saddle","start":[0.5,0.01],"steps":40,"optimizer":{"name":"rmsprop","lr":0.01,"alpha":0.9,"momentum":0.5,"centered":true},"schedule":{"name":"onecycle","max_lr":0.1,"total_steps":40}}"#,
    r#"{"surface":"max(sigmoid(x), softplus(y)) + atan(x*y) + 2","start":[0.5,-1],"steps":20,"optimizer":{"name":"adagrad","lr":0.5},"schedule":{"name":"step","step_size":5,"gamma":0.5}}"#,
    r#"{"surface":"himmelblau","start":[0,0],"steps":30,"optimizer":{"name":"sgd","lr":0.01,"momentum":0.9,"nesterov":true},"schedule":{"name":"multistep","milestones":[5,10],"gamma":0.1}}"#,
    r#"{"surface":"beale","start":[1,1],"steps":30,"optimizer":{"name":"adamw","lr":0.01,"weight_decay":0.01},"schedule":{"name":"linear","start_factor":0.1,"total_iters":10}}"#,
    r#"{"surface":"booth","start":[1,1],"steps":30,"optimizer":{"name":"nadam","lr":0.01},"schedule":{"name":"exponential","gamma":0.9}}"#,
    r#"{"surface":"rastrigin","start":[1,1],"steps":30,"optimizer":{"name":"radam","lr":0.01},"schedule":{"name":"cosine_warm_restarts","t_0":5,"t_mult":2}}"#,
    r#"{"surface":"bowl","start":[1,1],"steps":30,"optimizer":{"name":"adamax","lr":0.01},"schedule":{"name":"polynomial","total_iters":20,"power":2}}"#,
    r#"{"surface":"bowl","start":[1,1],"steps":30,"optimizer":{"name":"adadelta","lr":1,"rho":0.9},"schedule":{"name":"constant","factor":0.5,"total_iters":5}}"#,
    r#"{"surface":"bowl","start":[1,1],"steps":30,"optimizer":{"name":"sgd","lr":0.1},"schedule":{"name":"sequential","schedulers":[{"name":"linear","start_factor":0.1,"total_iters":5},{"name":"cosine","t_max":25}],"milestones":[5]}}"#,
    r#"{"surface":"bowl","start":[1,1],"steps":10,"optimizer":{"name":"adagrad","variant":"lecture","lr":0.1}}"#,
];

pub const TRAININGS: &[&str] = &[
    r#"{"data":{"name":"xor","n":120,"classes":2,"noise":0.1,"seed":3},"hidden":[6],"optimizer":{"name":"adam","lr":0.01},"batch_size":16,"epochs":2}"#,
    r#"{"data":{"name":"spiral","n":60,"classes":3,"noise":0.1,"seed":1,"train_fraction":0.8},"hidden":[8,8],"activation":"relu","loss":"mse","batchnorm":true,"bn":{"eps":1e-5,"momentum":0.1},"normalize_features":false,"optimizer":{"name":"sgd","lr":0.1,"momentum":0.9},"schedule":{"name":"step","step_size":3,"gamma":0.5},"batch_size":8,"epochs":2,"shuffle":false,"drop_last":true,"seed":4,"noise_batches":2}"#,
    r#"{"data":{"name":"circle","n":40},"hidden":[],"epochs":1,"batch_size":1000000}"#,
    r#"{"data":{"name":"gauss","n":30,"classes":2},"hidden":[4],"activation":"sigmoid","epochs":1,"optimizer":{"name":"adadelta"},"schedule":{"name":"onecycle","max_lr":0.1,"total_steps":100}}"#,
    r#"{"data":{"name":"digits","train_fraction":0.05},"hidden":[],"epochs":1,"batch_size":32}"#,
];

pub const LANDSCAPES: &[&str] = &[
    r#"{"data":{"name":"spiral","n":40,"noise":0.1,"seed":1},"hidden":[4],"optimizer":{"name":"adam","lr":0.01},"batch_size":16,"epochs":2,"seed":0,"landscape":{"method":"pca","grid":5,"span":1.2,"seed":0,"record":"epoch","mode":"eval","max_points":50}}"#,
    r#"{"data":{"name":"xor","n":40},"hidden":[3],"epochs":1,"landscape":{"method":"random","grid":3,"x":[-1,1],"y":[-0.5,0.5],"record":"step","mode":"train","bias_bn":"zero"}}"#,
    r#"{"data":{"name":"gauss","n":30},"hidden":[],"epochs":1,"landscape":null}"#,
];

/// Axis paths a sweep may take, good and bad.
pub const PATHS: &[&str] = &[
    "optimizer.lr",
    "optimizer.momentum",
    "optimizer.betas.0",
    "optimizer.betas.1",
    "optimizer.eps",
    "schedule.gamma",
    "start.0",
    "start.1",
    "steps",
    "bound",
    "noise.scale",
    "optimizer",
    "optimizer.betas.7",
    "start.-1",
    "",
    ".",
    "optimizer..lr",
];

/// Numbers, as JSON text, that sit on or past an edge.
pub const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "-0.0",
    "1",
    "-1",
    "2",
    "3",
    "0.5",
    "0.1",
    "0.999999",
    "1e-8",
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "5e-324",
    "2.2250738585072014e-308",
    "1e309",
    "-1e400",
    "1e-400",
    "255",
    "256",
    "257",
    "401",
    "1000",
    "1024",
    "1025",
    "20000",
    "20001",
    "100000",
    "100001",
    "1000000",
    "10000000",
    "10000001",
    "4294967295",
    "4294967296",
    "9007199254740993",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "123456789012345678901234567890",
    "1e20",
    "0.30000000000000004",
];

/// Strings: names the decoders know, near misses and awkward text.
pub const STRINGS: &[&str] = &[
    "",
    " ",
    "sgd",
    "adam",
    "adamw",
    "rmsprop",
    "adagrad",
    "nadam",
    "radam",
    "adamax",
    "adadelta",
    "lecture",
    "step",
    "multistep",
    "cosine",
    "onecycle",
    "sequential",
    "cosine_warm_restarts",
    "linear",
    "constant",
    "polynomial",
    "exponential",
    "spiral",
    "xor",
    "circle",
    "gauss",
    "digits",
    "tanh",
    "relu",
    "sigmoid",
    "cross_entropy",
    "mse",
    "pca",
    "random",
    "epoch",
    "eval",
    "train",
    "bowl",
    "rosenbrock",
    "saddle",
    "x",
    "x^2+y^2",
    "sni(x)",
    "1/0",
    "log(0)",
    "x^1e308",
    "((((((((((x))))))))))",
    "NaN",
    "inf",
    "-inf",
    "null",
    "\u{0}",
    "\u{1b}[31m",
    "\n\r\t",
    "é∑😀",
    "\u{202e}",
    "optimizer.lr",
    "start.1",
    "saddle_escape",
    "warmup",
];

/// Keys the configs use (added where they do not belong, too).
pub const KEYS: &[&str] = &[
    "surface",
    "start",
    "steps",
    "optimizer",
    "schedule",
    "noise",
    "bound",
    "name",
    "variant",
    "lr",
    "momentum",
    "dampening",
    "nesterov",
    "betas",
    "eps",
    "weight_decay",
    "amsgrad",
    "alpha",
    "centered",
    "rho",
    "maximize",
    "gamma",
    "step_size",
    "milestones",
    "t_max",
    "eta_min",
    "t_0",
    "t_mult",
    "max_lr",
    "total_steps",
    "pct_start",
    "total_iters",
    "start_factor",
    "end_factor",
    "power",
    "factor",
    "schedulers",
    "cycle_momentum",
    "batch_size",
    "scale",
    "seed",
    "data",
    "n",
    "classes",
    "train_fraction",
    "hidden",
    "activation",
    "loss",
    "batchnorm",
    "bn",
    "normalize_features",
    "epochs",
    "shuffle",
    "drop_last",
    "noise_batches",
    "run",
    "x",
    "y",
    "path",
    "min",
    "max",
    "log",
    "target_loss",
    "landscape",
    "method",
    "grid",
    "span",
    "record",
    "mode",
    "max_points",
    "bias_bn",
    "id",
    "panels",
    "runs",
    "config",
    "classifier",
    "lab",
    "unknown_key",
];

/// A JSON tree whose numbers keep their text (so `1e400` and `-0` survive) and whose objects
/// keep duplicate keys.
#[derive(Clone, Debug)]
pub enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    pub fn from(v: &Value) -> J {
        match v {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => J::Num(n.to_string()),
            Value::String(s) => J::Str(s.clone()),
            Value::Array(a) => J::Arr(a.iter().map(J::from).collect()),
            Value::Object(m) => J::Obj(m.iter().map(|(k, v)| (k.clone(), J::from(v))).collect()),
        }
    }

    fn write(&self, out: &mut String) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
            J::Arr(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
                }
                out.push(']');
            }
            J::Obj(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(k).unwrap_or_default());
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }

    fn count(&self) -> usize {
        1 + match self {
            J::Arr(items) => items.iter().map(J::count).sum(),
            J::Obj(entries) => entries.iter().map(|(_, v)| v.count()).sum(),
            _ => 0,
        }
    }

    /// The `k`-th node in pre-order.
    fn nth(&mut self, k: &mut usize) -> Option<&mut J> {
        if *k == 0 {
            return Some(self);
        }
        *k -= 1;
        match self {
            J::Arr(items) => items.iter_mut().find_map(|v| v.nth(k)),
            J::Obj(entries) => entries.iter_mut().find_map(|(_, v)| v.nth(k)),
            _ => None,
        }
    }

    /// Every subtree (the donors of splices).
    pub fn subtrees(&self, out: &mut Vec<J>) {
        out.push(self.clone());
        match self {
            J::Arr(items) => items.iter().for_each(|v| v.subtrees(out)),
            J::Obj(entries) => entries.iter().for_each(|(_, v)| v.subtrees(out)),
            _ => {}
        }
    }
}

/// The seeds of one target and the donors every target splices from.
pub struct Corpus {
    seeds: Vec<J>,
    pub texts: Vec<String>,
    donors: Vec<J>,
}

impl Corpus {
    pub fn new(texts: Vec<String>, donors: &[J]) -> Corpus {
        let seeds: Vec<J> = texts
            .iter()
            .map(|t| J::from(&serde_json::from_str::<Value>(t).expect("corpus JSON parses")))
            .collect();
        Corpus {
            seeds,
            texts,
            donors: donors.to_vec(),
        }
    }
}

fn random_number(rng: &mut Rng) -> J {
    if rng.one_in(3) {
        let v = (rng.next() as f64 / u64::MAX as f64 - 0.5) * 10f64.powi(rng.below(40) as i32 - 20);
        J::Num(format!("{v}"))
    } else {
        J::Num(rng.pick(NUMBERS).to_string())
    }
}

fn random_string(rng: &mut Rng) -> String {
    match rng.below(8) {
        0 => "x".repeat(rng.below(20_000)),
        1 => (0..rng.below(40))
            .map(|_| char::from_u32(rng.below(0x3000) as u32).unwrap_or('\u{fffd}'))
            .collect(),
        _ => rng.pick(STRINGS).to_string(),
    }
}

fn random_leaf(rng: &mut Rng, donors: &[J]) -> J {
    match rng.below(8) {
        0 => J::Null,
        1 => J::Bool(rng.one_in(2)),
        2 | 3 => random_number(rng),
        4 => J::Str(random_string(rng)),
        5 => J::Arr((0..rng.below(4)).map(|_| random_number(rng)).collect()),
        6 => J::Obj(Vec::new()),
        _ => rng.pick(donors).clone(),
    }
}

/// One change at one node of the tree.
fn mutate_node(rng: &mut Rng, node: &mut J, donors: &[J]) {
    match rng.below(12) {
        0 | 1 => *node = random_number(rng),
        2 => *node = random_leaf(rng, donors),
        3 | 4 => *node = rng.pick(donors).clone(),
        5 => {
            let most = if rng.one_in(4) { 300 } else { 8 };
            let depth = 1 + rng.below(most);
            for _ in 0..depth {
                let inner = std::mem::replace(node, J::Null);
                *node = if rng.one_in(2) {
                    J::Arr(vec![inner])
                } else {
                    J::Obj(vec![(rng.pick(KEYS).to_string(), inner)])
                };
            }
        }
        _ => match node {
            J::Obj(entries) => match rng.below(4) {
                0 if !entries.is_empty() => {
                    let i = rng.below(entries.len());
                    entries.remove(i);
                }
                1 if !entries.is_empty() => {
                    let i = rng.below(entries.len());
                    let e = entries[i].clone();
                    entries.insert(rng.below(entries.len() + 1), e);
                }
                2 if !entries.is_empty() => {
                    let i = rng.below(entries.len());
                    entries[i].0 = rng.pick(KEYS).to_string();
                }
                _ => {
                    let v = random_leaf(rng, donors);
                    entries.push((rng.pick(KEYS).to_string(), v));
                }
            },
            J::Arr(items) => match rng.below(4) {
                0 if !items.is_empty() => {
                    items.remove(rng.below(items.len()));
                }
                1 if !items.is_empty() => {
                    let v = items[rng.below(items.len())].clone();
                    let copies = if rng.one_in(8) { 300 } else { 1 };
                    for _ in 0..copies {
                        items.push(v.clone());
                    }
                }
                2 => items.clear(),
                _ => items.push(random_leaf(rng, donors)),
            },
            J::Num(n) => {
                let v: f64 = n.parse().unwrap_or(1.0);
                let w = match rng.below(6) {
                    0 => v + 1.0,
                    1 => v - 1.0,
                    2 => -v,
                    3 => v * 2.0,
                    4 => v * 0.5,
                    _ => v * 10f64.powi(rng.below(30) as i32 - 15),
                };
                // Display writes `inf` and `NaN`: malformed JSON is an input too.
                *n = if w.fract() == 0.0 && w.abs() < 1e18 {
                    format!("{}", w as i64)
                } else {
                    format!("{w}")
                };
            }
            J::Str(s) => *s = random_string(rng),
            J::Bool(b) => *b = !*b,
            J::Null => *node = random_leaf(rng, donors),
        },
    }
}

/// A byte index of `s` on a char boundary.
fn boundary(rng: &mut Rng, s: &str) -> usize {
    let mut i = rng.below(s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Text-level damage: bytes inserted, removed, repeated; a cut.
fn mutate_text(rng: &mut Rng, s: &mut String) {
    const PIECES: &[&str] = &[
        ",", ":", "{", "}", "[", "]", "\"", "null", "-", "e", "1e999", "\\u0000", "\\ud800", " ",
        "/*", "\u{feff}", "NaN", "Infinity",
    ];
    for _ in 0..1 + rng.below(3) {
        match rng.below(5) {
            0 => {
                let at = boundary(rng, s);
                let piece = *rng.pick(PIECES);
                s.insert_str(at, piece);
            }
            1 => {
                let (a, b) = (boundary(rng, s), boundary(rng, s));
                s.replace_range(a.min(b)..a.max(b), "");
            }
            2 => {
                let (a, b) = (boundary(rng, s), boundary(rng, s));
                let piece = s[a.min(b)..a.max(b)].to_string();
                let at = boundary(rng, s);
                s.insert_str(at, &piece);
            }
            3 => {
                let at = boundary(rng, s);
                s.truncate(at);
            }
            _ => {
                let at = boundary(rng, s);
                let c = char::from(32 + rng.below(95) as u8);
                s.insert(at, c);
            }
        }
    }
}

/// A mutated input: a seed (or, sometimes, a random value), a few tree changes, and now and
/// then damage to the text.
pub fn mutate(rng: &mut Rng, corpus: &Corpus) -> String {
    let mut tree = if rng.one_in(50) {
        random_leaf(rng, &corpus.donors)
    } else {
        rng.pick(&corpus.seeds).clone()
    };
    for _ in 0..1 + rng.below(4) {
        let mut k = rng.below(tree.count());
        if let Some(node) = tree.nth(&mut k) {
            mutate_node(rng, node, &corpus.donors);
        }
    }
    let mut out = String::new();
    tree.write(&mut out);
    if rng.one_in(5) {
        mutate_text(rng, &mut out);
    }
    out
}
