//! Encoding a [`Record`] as a WebAssembly module (the binary format, by hand: a handful of
//! sections and about twenty opcodes). Every live node gets a local; constants are inline.

use super::record::{Bin, Node, Record, Un};
use super::{Kind, Math, Module};

const F64: u8 = 0x7c;
const I32: u8 = 0x7f;

// Types, the same in every module.
const T_XY: u32 = 0; // (f64, f64) -> f64: value, pow
const T_X: u32 = 1; // (f64) -> f64: the other math imports
const T_OUT: u32 = 2; // (f64, f64, i32) -> f64: grad, hess
const T_GRID: u32 = 3; // (x0, dx, nx, y0, dy, ny, out) -> ()

fn uleb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn sleb(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0);
        out.push(if done { byte } else { byte | 0x80 });
        if done {
            return;
        }
    }
}

fn name(out: &mut Vec<u8>, s: &str) {
    uleb(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn section(module: &mut Vec<u8>, id: u8, body: &[u8]) {
    module.push(id);
    uleb(module, body.len() as u64);
    module.extend_from_slice(body);
}

/// A vector of `n` items already encoded in `items`.
fn vector(n: usize, items: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    uleb(&mut v, n as u64);
    v.extend_from_slice(items);
    v
}

fn func_type(out: &mut Vec<u8>, params: &[u8], results: &[u8]) {
    out.push(0x60);
    uleb(out, params.len() as u64);
    out.extend_from_slice(params);
    uleb(out, results.len() as u64);
    out.extend_from_slice(results);
}

/// The live nodes of a record and the local each one gets.
struct Layout<'a> {
    rec: &'a Record,
    live: Vec<bool>,
    local: Vec<u32>,
    imports: &'a [Math],
}

impl<'a> Layout<'a> {
    /// `x` and `y` are the locals of the parameters; f64 nodes get locals from `first_f64`,
    /// booleans from `first_f64 + n_f64` (see `counts`).
    fn new(rec: &'a Record, imports: &'a [Math], x: u32, y: u32, first_f64: u32) -> Self {
        let n = rec.nodes.len();
        let mut live = vec![false; n];
        for &o in &rec.outputs {
            live[o as usize] = true;
        }
        for i in (0..n).rev() {
            if live[i] {
                for a in rec.nodes[i].operands() {
                    live[a as usize] = true;
                }
            }
        }
        let (n_f64, _) = counts(rec, &live);
        let mut local = vec![u32::MAX; n];
        let (mut next_f, mut next_b) = (first_f64, first_f64 + n_f64);
        for (i, node) in rec.nodes.iter().enumerate() {
            if !live[i] {
                continue;
            }
            local[i] = match node {
                Node::Param(0) => x,
                Node::Param(_) => y,
                Node::Const(_) | Node::BoolConst(_) => u32::MAX,
                n if n.is_bool() => {
                    next_b += 1;
                    next_b - 1
                }
                _ => {
                    next_f += 1;
                    next_f - 1
                }
            };
        }
        Layout {
            rec,
            live,
            local,
            imports,
        }
    }

    /// Local declarations: `n_f64` f64 locals, then the booleans' i32 locals.
    fn declare(&self, decls: &mut Vec<(u32, u8)>) {
        let (f, b) = counts(self.rec, &self.live);
        decls.push((f, F64));
        decls.push((b, I32));
    }

    fn get(&self, code: &mut Vec<u8>, i: u32) {
        match self.rec.nodes[i as usize] {
            Node::Const(c) => {
                code.push(0x44);
                code.extend_from_slice(&c.to_le_bytes());
            }
            Node::BoolConst(b) => {
                code.push(0x41);
                sleb(code, b as i64);
            }
            _ => {
                code.push(0x20);
                uleb(code, self.local[i as usize] as u64);
            }
        }
    }

    /// The code computing every live node into its local.
    fn body(&self, code: &mut Vec<u8>) {
        for (i, node) in self.rec.nodes.iter().enumerate() {
            if !self.live[i] {
                continue;
            }
            match *node {
                Node::Param(_) | Node::Const(_) | Node::BoolConst(_) => continue,
                Node::Bin(op, a, b) => {
                    self.get(code, a);
                    self.get(code, b);
                    code.push(match op {
                        Bin::Add => 0xa0,
                        Bin::Sub => 0xa1,
                        Bin::Mul => 0xa2,
                        Bin::Div => 0xa3,
                    });
                }
                Node::Un(op, a) => {
                    self.get(code, a);
                    code.push(match op {
                        Un::Neg => 0x9a,
                        Un::Sqrt => 0x9f,
                        Un::Abs => 0x99,
                    });
                }
                Node::Call(m, a, b) => {
                    self.get(code, a);
                    if m == Math::Pow {
                        self.get(code, b);
                    }
                    code.push(0x10);
                    let at = self.imports.iter().position(|&k| k == m);
                    uleb(code, at.expect("every call's import is listed") as u64);
                }
                Node::Select(c, a, b) => {
                    self.get(code, a);
                    self.get(code, b);
                    self.get(code, c);
                    code.push(0x1b);
                }
                Node::Lt(a, b) | Node::Gt(a, b) => {
                    self.get(code, a);
                    self.get(code, b);
                    code.push(if matches!(node, Node::Lt(..)) {
                        0x63
                    } else {
                        0x64
                    });
                }
                Node::EitherNan(a, b) => {
                    for v in [a, b] {
                        self.get(code, v);
                        self.get(code, v);
                        code.push(0x62); // f64.ne: only NaN differs from itself
                    }
                    code.push(0x72); // i32.or
                }
            }
            code.push(0x21);
            uleb(code, self.local[i] as u64);
        }
    }
}

/// How many live f64 nodes and live boolean nodes need a local.
fn counts(rec: &Record, live: &[bool]) -> (u32, u32) {
    let (mut f, mut b) = (0, 0);
    for (node, &l) in rec.nodes.iter().zip(live) {
        match node {
            _ if !l => {}
            Node::Param(_) | Node::Const(_) | Node::BoolConst(_) => {}
            n if n.is_bool() => b += 1,
            _ => f += 1,
        }
    }
    (f, b)
}

/// `f64.store` of the value on the stack at `[address + offset]`.
fn store(code: &mut Vec<u8>, offset: u32) {
    code.push(0x39);
    uleb(code, 3); // alignment 2^3
    uleb(code, offset as u64);
}

fn local_get(code: &mut Vec<u8>, i: u32) {
    code.push(0x20);
    uleb(code, i as u64);
}

fn local_set(code: &mut Vec<u8>, i: u32) {
    code.push(0x21);
    uleb(code, i as u64);
}

/// A function body from its local declarations and code.
fn function(decls: &[(u32, u8)], code: &[u8]) -> Vec<u8> {
    let mut f = Vec::new();
    let decls: Vec<_> = decls.iter().filter(|d| d.0 > 0).collect();
    uleb(&mut f, decls.len() as u64);
    for (n, t) in decls {
        uleb(&mut f, *n as u64);
        f.push(*t);
    }
    f.extend_from_slice(code);
    f.push(0x0b);
    let mut sized = Vec::new();
    uleb(&mut sized, f.len() as u64);
    sized.extend_from_slice(&f);
    sized
}

/// `value(x, y) -> f64`.
fn value_fn(rec: &Record, imports: &[Math]) -> Vec<u8> {
    let l = Layout::new(rec, imports, 0, 1, 2);
    let mut decls = Vec::new();
    l.declare(&mut decls);
    let mut code = Vec::new();
    l.body(&mut code);
    l.get(&mut code, rec.outputs[0]);
    function(&decls, &code)
}

/// `grad`/`hess(x, y, out) -> f64`: the derivatives stored at `out`, the value returned.
fn out_fn(rec: &Record, imports: &[Math]) -> Vec<u8> {
    let l = Layout::new(rec, imports, 0, 1, 3);
    let mut decls = Vec::new();
    l.declare(&mut decls);
    let mut code = Vec::new();
    l.body(&mut code);
    for (k, &o) in rec.outputs.iter().enumerate().skip(1) {
        local_get(&mut code, 2);
        l.get(&mut code, o);
        store(&mut code, 8 * (k as u32 - 1));
    }
    l.get(&mut code, rec.outputs[0]);
    function(&decls, &code)
}

/// `grid(x0, dx, nx, y0, dy, ny, out)`: row j at y = y0 + j·dy, column i at x = x0 + i·dx,
/// values stored row by row from `out` (the caller ensures nx, ny ≥ 1).
fn grid_fn(rec: &Record, imports: &[Math]) -> Vec<u8> {
    // The parameters, then the loop's locals.
    let [l_x0, l_dx, l_nx, l_y0, l_dy, l_ny, l_out, l_i, l_j, l_p, l_x, l_y]: [u32; 12] =
        std::array::from_fn(|i| i as u32);
    let l = Layout::new(rec, imports, l_x, l_y, 12);
    let mut decls = vec![(3, I32), (2, F64)];
    l.declare(&mut decls);
    let mut c = Vec::new();
    local_get(&mut c, l_out);
    local_set(&mut c, l_p);
    c.extend_from_slice(&[0x03, 0x40]); // loop over rows
                                        // y = y0 + f64(j)·dy
    local_get(&mut c, l_y0);
    local_get(&mut c, l_j);
    c.push(0xb8); // f64.convert_i32_u
    local_get(&mut c, l_dy);
    c.extend_from_slice(&[0xa2, 0xa0]);
    local_set(&mut c, l_y);
    c.extend_from_slice(&[0x41, 0x00]);
    local_set(&mut c, l_i);
    c.extend_from_slice(&[0x03, 0x40]); // loop over columns
    local_get(&mut c, l_x0);
    local_get(&mut c, l_i);
    c.push(0xb8);
    local_get(&mut c, l_dx);
    c.extend_from_slice(&[0xa2, 0xa0]);
    local_set(&mut c, l_x);
    l.body(&mut c);
    local_get(&mut c, l_p);
    l.get(&mut c, rec.outputs[0]);
    store(&mut c, 0);
    local_get(&mut c, l_p);
    c.extend_from_slice(&[0x41, 0x08, 0x6a]); // + 8
    local_set(&mut c, l_p);
    for (counter, limit) in [(l_i, l_nx), (l_j, l_ny)] {
        // counter += 1; continue while counter < limit; end of the loop
        local_get(&mut c, counter);
        c.extend_from_slice(&[0x41, 0x01, 0x6a, 0x22]); // i32.const 1, i32.add, local.tee
        uleb(&mut c, counter as u64);
        local_get(&mut c, limit);
        c.extend_from_slice(&[0x49, 0x0d, 0x00, 0x0b]); // i32.lt_u, br_if 0, end
    }
    function(&decls, &c)
}

/// The module for `kind` of the record.
pub fn encode(rec: &Record, kind: Kind) -> Module {
    let mut imports: Vec<Math> = Vec::new();
    for n in &rec.nodes {
        if let Node::Call(m, ..) = n {
            if !imports.contains(m) {
                imports.push(*m);
            }
        }
    }
    let mut m = b"\0asm\x01\0\0\0".to_vec();

    let mut types = Vec::new();
    func_type(&mut types, &[F64, F64], &[F64]);
    func_type(&mut types, &[F64], &[F64]);
    func_type(&mut types, &[F64, F64, I32], &[F64]);
    func_type(&mut types, &[F64, F64, I32, F64, F64, I32, I32], &[]);
    section(&mut m, 1, &vector(4, &types));

    let mut imp = Vec::new();
    name(&mut imp, "m");
    name(&mut imp, "memory");
    imp.extend_from_slice(&[0x02, 0x00, 0x00]); // memory, no maximum, at least 0 pages
    for f in &imports {
        name(&mut imp, "m");
        name(&mut imp, f.name());
        imp.push(0x00);
        uleb(&mut imp, if *f == Math::Pow { T_XY } else { T_X } as u64);
    }
    section(&mut m, 2, &vector(1 + imports.len(), &imp));

    let first = imports.len() as u64;
    let (funcs, exports, bodies): (Vec<u32>, Vec<&str>, Vec<Vec<u8>>) = match kind {
        Kind::Value => (
            vec![T_XY, T_GRID],
            vec!["value", "grid"],
            vec![value_fn(rec, &imports), grid_fn(rec, &imports)],
        ),
        Kind::Gradient => (vec![T_OUT], vec!["grad"], vec![out_fn(rec, &imports)]),
        Kind::Hessian => (vec![T_OUT], vec!["hess"], vec![out_fn(rec, &imports)]),
    };
    let mut fs = Vec::new();
    for t in &funcs {
        uleb(&mut fs, *t as u64);
    }
    section(&mut m, 3, &vector(funcs.len(), &fs));

    let mut ex = Vec::new();
    for (k, e) in exports.iter().enumerate() {
        name(&mut ex, e);
        ex.push(0x00);
        uleb(&mut ex, first + k as u64);
    }
    section(&mut m, 7, &vector(exports.len(), &ex));

    let code: Vec<u8> = bodies.concat();
    section(&mut m, 10, &vector(bodies.len(), &code));
    Module { bytes: m, imports }
}
