//! In the browser (and node): instantiating a compiled formula against the app's own memory
//! and math functions, and calling it through the app's function table.
//!
//! A compiled function is called from Rust as an `extern "C" fn` whose address is the table
//! slot it was put in: in wasm a function pointer *is* a table index, and `call_indirect`
//! checks the callee's type against the pointer's at every call (a mismatch traps, it cannot
//! misbehave). That one conversion is the only `unsafe` in the crate.

use super::{compile, Kind, Math};
use crate::expr::tape::Tape;
use js_sys::{Function, Object, Reflect, Uint8Array, WebAssembly};
use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use wasm_bindgen::{JsCast, JsValue};

/// Calls through the tape before a formula is compiled (a grid compiles at once).
const HOT: u32 = 32;

type ValueFn = extern "C" fn(f64, f64) -> f64;
type OutFn = extern "C" fn(f64, f64, *mut f64) -> f64;
type GridFn = extern "C" fn(f64, f64, u32, f64, f64, u32, *mut f64);

macro_rules! as_fn {
    ($name:ident, $t:ty) => {
        /// The function in table slot `index`.
        #[allow(unsafe_code)]
        fn $name(index: u32) -> $t {
            // SAFETY: `index` is a slot this module filled with an exported function of a
            // compiled formula whose wasm type is exactly `$t`'s (see `wasm::encode`), and the
            // slot is not reused while the `Fns` holding it lives. A wasm function pointer is a
            // table index, and `call_indirect` checks the type again at the call.
            unsafe { std::mem::transmute::<usize, $t>(index as usize) }
        }
    };
}
as_fn!(value_fn, ValueFn);
as_fn!(out_fn, OutFn);
as_fn!(grid_fn, GridFn);

// The math functions a compiled formula imports: the very functions the tape calls.
extern "C" fn m_sin(a: f64) -> f64 {
    a.sin()
}
extern "C" fn m_cos(a: f64) -> f64 {
    a.cos()
}
extern "C" fn m_tan(a: f64) -> f64 {
    a.tan()
}
extern "C" fn m_exp(a: f64) -> f64 {
    a.exp()
}
extern "C" fn m_ln(a: f64) -> f64 {
    a.ln()
}
extern "C" fn m_ln_1p(a: f64) -> f64 {
    a.ln_1p()
}
extern "C" fn m_tanh(a: f64) -> f64 {
    a.tanh()
}
extern "C" fn m_atan(a: f64) -> f64 {
    a.atan()
}
extern "C" fn m_sinh(a: f64) -> f64 {
    a.sinh()
}
extern "C" fn m_cosh(a: f64) -> f64 {
    a.cosh()
}
extern "C" fn m_pow(a: f64, b: f64) -> f64 {
    a.powf(b)
}

/// The table slot of a math function.
fn math_slot(m: Math) -> u32 {
    let f1 = |f: extern "C" fn(f64) -> f64| f as usize as u32;
    match m {
        Math::Sin => f1(m_sin),
        Math::Cos => f1(m_cos),
        Math::Tan => f1(m_tan),
        Math::Exp => f1(m_exp),
        Math::Ln => f1(m_ln),
        Math::Ln1p => f1(m_ln_1p),
        Math::Tanh => f1(m_tanh),
        Math::Atan => f1(m_atan),
        Math::Sinh => f1(m_sinh),
        Math::Cosh => f1(m_cosh),
        Math::Pow => (m_pow as extern "C" fn(f64, f64) -> f64) as usize as u32,
    }
}

thread_local! {
    /// Table slots given back by dropped formulas, reused before the table grows.
    static FREE: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

fn table() -> WebAssembly::Table {
    wasm_bindgen::function_table().unchecked_into()
}

/// Puts `f` into a free slot of the table.
fn put(table: &WebAssembly::Table, f: &Function) -> Option<u32> {
    let slot = match FREE.with(|v| v.borrow_mut().pop()) {
        Some(s) => s,
        None => table.grow(1).ok()?,
    };
    match table.set(slot, f) {
        Ok(()) => Some(slot),
        Err(_) => {
            FREE.with(|v| v.borrow_mut().push(slot));
            None
        }
    }
}

/// The table slots of one compiled module's functions.
#[derive(Debug)]
struct Fns {
    main: u32,
    grid: Option<u32>,
}

impl Drop for Fns {
    fn drop(&mut self) {
        FREE.with(|v| {
            v.borrow_mut()
                .extend([self.main].into_iter().chain(self.grid))
        });
    }
}

fn instantiate(tape: &Tape, kind: Kind) -> Result<Fns, JsValue> {
    let module = compile(tape, kind).ok_or("tape too long")?;
    let table = table();
    let ns = Object::new();
    Reflect::set(&ns, &"memory".into(), &wasm_bindgen::memory())?;
    for m in &module.imports {
        Reflect::set(&ns, &m.name().into(), &table.get(math_slot(*m))?.into())?;
    }
    let imports = Object::new();
    Reflect::set(&imports, &"m".into(), &ns)?;
    let bytes = Uint8Array::from(&module.bytes[..]);
    let compiled = WebAssembly::Module::new(&bytes.into())?;
    let exports = WebAssembly::Instance::new(&compiled, &imports)?.exports();
    let export = |name: &str| -> Result<Function, JsValue> {
        Reflect::get(&exports, &name.into())?.dyn_into::<Function>()
    };
    let main = export(match kind {
        Kind::Value => "value",
        Kind::Gradient => "grad",
        Kind::Hessian => "hess",
    })?;
    let main = put(&table, &main).ok_or("the function table cannot grow")?;
    let mut fns = Fns { main, grid: None };
    if kind == Kind::Value {
        let grid = export("grid")?;
        fns.grid = Some(put(&table, &grid).ok_or("the function table cannot grow")?);
    }
    Ok(fns)
}

/// One kind of compiled code of a formula: not tried yet (counting calls), or compiled, or
/// failed (then the tape it is).
#[derive(Debug, Default)]
struct Slot {
    calls: AtomicU32,
    fns: OnceLock<Result<Fns, String>>,
}

impl Slot {
    /// The compiled functions, compiling now if `at_once` or once the formula is hot.
    fn get(&self, tape: &Tape, kind: Kind, at_once: bool) -> Option<&Fns> {
        if let Some(f) = self.fns.get() {
            return f.as_ref().ok();
        }
        if !at_once && self.calls.fetch_add(1, Ordering::Relaxed) < HOT {
            return None;
        }
        self.fns
            .get_or_init(|| {
                instantiate(tape, kind).map_err(|e| {
                    e.as_string()
                        .or_else(|| js_sys::Error::from(e).to_string().as_string())
                        .unwrap_or_default()
                })
            })
            .as_ref()
            .ok()
    }
}

/// A formula's compiled code, per kind; clones of a formula share it.
#[derive(Debug, Default, Clone)]
pub struct Cache {
    value: Arc<Slot>,
    grad: Arc<Slot>,
    hess: Arc<Slot>,
}

impl PartialEq for Cache {
    /// Compiled code is a cache of the tape: it never makes two formulas differ.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Cache {
    /// f(x, y) by the compiled code, once there is some.
    #[inline]
    pub fn value(&self, tape: &Tape, x: f64, y: f64) -> Option<f64> {
        let f = self.value.get(tape, Kind::Value, false)?;
        Some(value_fn(f.main)(x, y))
    }

    /// f and its gradient by the compiled code, once there is some.
    #[inline]
    pub fn gradient(&self, tape: &Tape, x: f64, y: f64) -> Option<(f64, [f64; 2])> {
        let f = self.grad.get(tape, Kind::Gradient, false)?;
        let mut g = [0.0; 2];
        let v = out_fn(f.main)(x, y, g.as_mut_ptr());
        Some((v, g))
    }

    /// f, its gradient and `[hxx, hxy, hyy]` by the compiled code, once there is some.
    #[inline]
    pub fn hessian(&self, tape: &Tape, x: f64, y: f64) -> Option<(f64, [f64; 2], [f64; 3])> {
        let f = self.hess.get(tape, Kind::Hessian, false)?;
        let mut o = [0.0; 5];
        let v = out_fn(f.main)(x, y, o.as_mut_ptr());
        Some((v, [o[0], o[1]], [o[2], o[3], o[4]]))
    }

    /// Fills `out` (`nx·ny` long, both at least 1) with the grid's values, row by row;
    /// false where there is no compiled code.
    #[allow(clippy::too_many_arguments)]
    pub fn grid(
        &self,
        tape: &Tape,
        x0: f64,
        dx: f64,
        nx: usize,
        y0: f64,
        dy: f64,
        ny: usize,
        out: &mut [f64],
    ) -> bool {
        assert!(nx >= 1 && ny >= 1 && out.len() == nx * ny, "grid shape");
        let (Ok(nx32), Ok(ny32)) = (u32::try_from(nx), u32::try_from(ny)) else {
            return false;
        };
        let Some(grid) = self.value.get(tape, Kind::Value, true).and_then(|f| f.grid) else {
            return false;
        };
        grid_fn(grid)(x0, dx, nx32, y0, dy, ny32, out.as_mut_ptr());
        true
    }

    /// Compiles every kind now (tests, benchmarks); whether each is compiled, as `compiled`.
    pub fn compile_all(&self, tape: &Tape) -> [bool; 3] {
        self.value.get(tape, Kind::Value, true);
        self.grad.get(tape, Kind::Gradient, true);
        self.hess.get(tape, Kind::Hessian, true);
        self.compiled()
    }

    /// Whether each kind is compiled: `[value, gradient, Hessian]`.
    pub fn compiled(&self) -> [bool; 3] {
        [&self.value, &self.grad, &self.hess].map(|s| matches!(s.fns.get(), Some(Ok(_))))
    }

    /// Why a kind that was tried did not compile, for each kind that failed.
    pub fn failures(&self) -> Vec<String> {
        [&self.value, &self.grad, &self.hess]
            .iter()
            .filter_map(|s| s.fns.get()?.as_ref().err().cloned())
            .collect()
    }
}
