//! "Show PyTorch code": a complete Python script with `torch.optim` and
//! `torch.optim.lr_scheduler` that reproduces a run config's trajectory in float64 and prints
//! JSON in the schema of `optiscape trajectory`. The formula is emitted from the compiled tape
//! (one line per instruction, constants folded as the reference generator folds them), the
//! minibatch noise from a port of the core's SplitMix64, and the lecture's Adagrad/RMSProp,
//! which torch does not have, as their slide formulas by hand.

use crate::config::RunConfig;
use crate::error::{Error, Result};
use crate::expr::{Func, Instr, Operand};
use crate::optim::{OptimizerConfig, ScheduleConfig};
use crate::surface::resolve;
use serde_json::Value;
use std::fmt::Write;

/// A Python float literal that reads back as exactly `v`.
fn py_float(v: f64) -> String {
    if v.is_nan() {
        "math.nan".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "math.inf".into()
        } else {
            "-math.inf".into()
        }
    } else {
        let s = format!("{v:?}");
        if s.contains(['.', 'e', 'E']) {
            s
        } else {
            format!("{s}.0")
        }
    }
}

/// A JSON config value as a Python literal.
fn py_value(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => {
            if *b {
                "True".into()
            } else {
                "False".into()
            }
        }
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => u.to_string(),
            (_, Some(i), _) => i.to_string(),
            (_, _, Some(f)) => py_float(f),
            _ => n.to_string(),
        },
        Value::String(s) => format!("{s:?}"),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(py_value).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(_) => "None".into(),
    }
}

/// `key=value, ...` from a config object, leaving out `skip` keys.
fn kwargs(obj: &Value, skip: &[&str], rename: &[(&str, &str)]) -> String {
    let Some(map) = obj.as_object() else {
        return String::new();
    };
    map.iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, v)| {
            let key = rename
                .iter()
                .find(|(from, _)| from == k)
                .map_or(k.as_str(), |(_, to)| to);
            format!("{key}={}", py_value(v))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Python body of `loss_fn(p)` from the formula's tape.
fn formula_body(spec: &str) -> Result<String> {
    let f = resolve(spec)?;
    let tape = f.tape();
    let mut out = String::from("    x, y = p[0], p[1]\n");
    let v = |i: u32| format!("v{i}");
    for (k, ins) in tape.instrs.iter().enumerate() {
        let rhs = match *ins {
            Instr::X => "x".into(),
            Instr::Y => "y".into(),
            Instr::Const(c) => format!("torch.tensor({})", py_float(c)),
            Instr::Add(a, b) => format!("{} + {}", v(a), v(b)),
            Instr::Sub(a, b) => format!("{} - {}", v(a), v(b)),
            Instr::Mul(a, b) => format!("{} * {}", v(a), v(b)),
            Instr::Div(a, b) => format!("{} / {}", v(a), v(b)),
            Instr::AddC(a, c) => format!("{} + {}", v(a), py_float(c)),
            Instr::RSubC(c, a) => format!("{} - {}", py_float(c), v(a)),
            Instr::MulC(a, c) => format!("{} * {}", v(a), py_float(c)),
            Instr::DivC(a, c) => format!("{} / {}", v(a), py_float(c)),
            Instr::RDivC(c, a) => format!("{} / {}", py_float(c), v(a)),
            Instr::Neg(a) => format!("-{}", v(a)),
            Instr::PowC(a, c) => format!("torch.pow({}, {})", v(a), py_float(c)),
            Instr::Pow(a, b) => format!("torch.pow({}, {})", v(a), v(b)),
            Instr::Min(a, b) => format!("torch.minimum({}, {})", v(a), v(b)),
            Instr::Max(a, b) => format!("torch.maximum({}, {})", v(a), v(b)),
            Instr::Func(func, a) => {
                let name = match func {
                    Func::Sin => "torch.sin",
                    Func::Cos => "torch.cos",
                    Func::Tan => "torch.tan",
                    Func::Exp => "torch.exp",
                    Func::Log => "torch.log",
                    Func::Sqrt => "torch.sqrt",
                    Func::Tanh => "torch.tanh",
                    Func::Abs => "torch.abs",
                    Func::Atan => "torch.atan",
                    Func::Sinh => "torch.sinh",
                    Func::Cosh => "torch.cosh",
                    Func::Sigmoid => "torch.sigmoid",
                    Func::Softplus => "torch.nn.functional.softplus",
                };
                format!("{name}({})", v(a))
            }
        };
        let _ = writeln!(out, "    v{k} = {rhs}");
    }
    let result = match tape.result {
        Operand::Slot(i) => v(i),
        Operand::Const(c) => format!("(x * 0.0 + {})", py_float(c)),
    };
    let _ = writeln!(out, "    return {result}");
    Ok(out)
}

/// `torch.optim.X(...)` for a torch optimizer (the class from the spec table), or `None` for
/// a lecture variant.
fn optimizer_ctor(cfg: &OptimizerConfig) -> Option<String> {
    let class = cfg.spec().torch?;
    let mut skip = vec!["name", "variant", "foreach"];
    if class == "AdamW" {
        skip.push("decoupled_weight_decay");
    }
    let args = kwargs(&cfg.to_json(), &skip, &[]);
    Some(format!("torch.optim.{class}([p], foreach=False, {args})"))
}

/// `torch.optim.lr_scheduler.X(opt, ...)` for a schedule.
fn schedule_ctor(cfg: &ScheduleConfig, opt: &str) -> String {
    let json = cfg.to_json();
    let args = |rename: &[(&str, &str)]| {
        kwargs(
            &json,
            &["name", "schedulers", "milestones", "torch", "derived"],
            rename,
        )
    };
    let class = cfg.spec().torch.unwrap_or_default();
    let ls = format!("torch.optim.lr_scheduler.{class}");
    match cfg {
        ScheduleConfig::MultiStep(_) => format!(
            "{ls}({opt}, milestones={}, {})",
            py_value(&json["milestones"]),
            args(&[])
        ),
        ScheduleConfig::Cosine(_) => format!("{ls}({opt}, {})", args(&[("t_max", "T_max")])),
        ScheduleConfig::CosineWarmRestarts(_) => format!(
            "{ls}({opt}, {})",
            args(&[("t_0", "T_0"), ("t_mult", "T_mult")])
        ),
        ScheduleConfig::Sequential(s) => {
            let subs: Vec<String> = s.schedulers.iter().map(|c| schedule_ctor(c, opt)).collect();
            format!(
                "{ls}({opt}, schedulers=[{}], milestones={})",
                subs.join(", "),
                py_value(&json["milestones"])
            )
        }
        _ => format!("{ls}({opt}, {})", args(&[])),
    }
}

const RNG: &str = r#"
M64 = (1 << 64) - 1


class Rng:
    """SplitMix64 with Box-Muller normals: the same stream as optiscape's core."""

    def __init__(self, seed):
        self.state = seed & M64

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & M64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))

    def normal(self):
        u1 = 1.0 - self.uniform()
        u2 = self.uniform()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(math.tau * u2)
"#;

/// The whole script for `cfg`.
pub fn torch_code(cfg: &RunConfig) -> Result<String> {
    cfg.validate()?;
    let body = formula_body(&cfg.surface)?;
    let surface_text = resolve(&cfg.surface)?.source().to_string();
    cfg.optimizer_for_run()?;
    let torch_opt = optimizer_ctor(&cfg.optimizer);
    let cycled = matches!(&cfg.schedule, Some(ScheduleConfig::OneCycle(c)) if c.cycle_momentum);
    let momentum_key = match cfg.optimizer.name() {
        "sgd" | "rmsprop" => "momentum",
        _ => "betas",
    };
    let config_json = crate::json_text::to_string(cfg).map_err(|e| Error::Config(e.to_string()))?;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"#!/usr/bin/env python3
"""Reproduce an optiscape run with PyTorch in float64.

Surface: {surface_text}
Config:  {config_json}

Generated by `optiscape torch-code`. Prints JSON in the schema of `optiscape trajectory`:
x, y, loss, gx, gy for the states p_0 ... p_N, lr for each step, and diverged_at.
"""
import json
import math

import torch

torch.set_default_dtype(torch.float64)


def loss_fn(p):
{body}
"#
    );
    if cfg.noise.is_some() {
        s.push_str(RNG);
    }
    let [x0, y0] = cfg.start;
    let _ = writeln!(s, "\n\ndef main():");
    let _ = writeln!(s, "    steps = {}", cfg.steps);
    let _ = writeln!(
        s,
        "    p = torch.tensor([{}, {}], requires_grad=True)",
        py_float(x0),
        py_float(y0)
    );
    match &torch_opt {
        Some(ctor) => {
            let _ = writeln!(s, "    opt = {ctor}");
        }
        None => {
            // The lecture's variants: torch supplies the gradient and the schedule (on a
            // dummy SGD, as the reference data were made); the update is the slide's.
            let _ = writeln!(
                s,
                "    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr={})",
                py_float(cfg.optimizer.lr())
            );
        }
    }
    match &cfg.schedule {
        Some(sched) => {
            let _ = writeln!(s, "    sched = {}", schedule_ctor(sched, "opt"));
        }
        None => {
            let _ = writeln!(s, "    sched = None");
        }
    }
    if let Some(n) = &cfg.noise {
        let _ = writeln!(s, "    rng = Rng({})", n.seed);
        let _ = writeln!(s, "    noise_std = {}", py_float(n.std()));
    }
    if torch_opt.is_none() {
        let json = cfg.optimizer.to_json();
        let _ = writeln!(
            s,
            "    sums = [0.0, 0.0]  # lecture Adagrad: running sum of g^2"
        );
        let _ = writeln!(s, "    sigma = [0.0, 0.0]");
        let _ = writeln!(
            s,
            "    alpha = {}",
            json.get("alpha").map_or("0.0".into(), py_value)
        );
        let _ = writeln!(s, "    theta = [p[0].item(), p[1].item()]");
    }
    let _ = writeln!(s, "    out = {{\"x\": [], \"y\": [], \"loss\": [], \"gx\": [], \"gy\": [], \"lr\": []{}, \"diverged_at\": None}}", if cycled { ", \"momentum\": []" } else { "" });
    s.push_str("    for t in range(steps + 1):\n");
    if torch_opt.is_some() {
        s.push_str("        opt.zero_grad()\n");
    } else {
        s.push_str("        p = torch.tensor(theta, requires_grad=True)\n");
    }
    s.push_str("        loss = loss_fn(p)\n        loss.backward()\n");
    if cfg.noise.is_some() {
        s.push_str("        with torch.no_grad():\n            p.grad.add_(torch.tensor([noise_std * rng.normal(), noise_std * rng.normal()]))\n");
    }
    s.push_str("        row = [p[0].item(), p[1].item(), loss.item(), p.grad[0].item(), p.grad[1].item()]\n");
    let bound = cfg.bound.map_or(String::new(), |b| {
        format!(" or abs(row[0]) > {0} or abs(row[1]) > {0}", py_float(b))
    });
    let _ = writeln!(s, "        if not all(math.isfinite(v) for v in row){bound}:\n            out[\"diverged_at\"] = t\n            break");
    s.push_str("        for key, v in zip((\"x\", \"y\", \"loss\", \"gx\", \"gy\"), row):\n            out[key].append(v)\n");
    s.push_str("        if t == steps:\n            break\n");
    s.push_str("        lr = opt.param_groups[0][\"lr\"]\n        out[\"lr\"].append(lr)\n");
    if cycled {
        let pick = if momentum_key == "betas" { "[0]" } else { "" };
        let _ = writeln!(
            s,
            "        out[\"momentum\"].append(opt.param_groups[0][\"{momentum_key}\"]{pick})"
        );
    }
    match (&torch_opt, cfg.optimizer.name()) {
        (Some(_), _) => s.push_str("        opt.step()\n"),
        (None, "adagrad") => s.push_str(
            "        g = row[3:5]\n        for i in range(2):\n            sums[i] += g[i] * g[i]\n            sigma[i] = math.sqrt((1.0 / (t + 1)) * sums[i])\n            if sigma[i] != 0.0:\n                theta[i] -= (lr / sigma[i]) * g[i]\n",
        ),
        (None, _) => s.push_str(
            "        g = row[3:5]\n        for i in range(2):\n            sigma[i] = abs(g[i]) if t == 0 else math.sqrt(alpha * (sigma[i] * sigma[i]) + (1.0 - alpha) * (g[i] * g[i]))\n            if sigma[i] != 0.0:\n                theta[i] -= (lr / sigma[i]) * g[i]\n",
        ),
    }
    s.push_str("        if sched is not None:\n            sched.step()\n");
    s.push_str("    print(json.dumps(out))\n\n\nif __name__ == \"__main__\":\n    main()\n");
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_literals_round_trip() {
        assert_eq!(py_float(0.1), "0.1");
        assert_eq!(py_float(2.0), "2.0");
        assert_eq!(py_float(1e-10), "1e-10");
        assert_eq!(py_float(-3.5e300), "-3.5e300");
        assert_eq!(py_value(&serde_json::json!([0.9, 0.999])), "[0.9, 0.999]");
        assert_eq!(py_value(&serde_json::json!(true)), "True");
    }

    #[test]
    fn the_script_names_the_torch_classes() {
        let cfg = RunConfig::from_json(
            r#"{"surface":"rosenbrock","start":[-1.2,1],"steps":10,"optimizer":{"name":"adamw","lr":0.01},
                "schedule":{"name":"sequential","schedulers":[{"name":"linear","total_iters":3},{"name":"cosine","t_max":7}],"milestones":[3]}}"#,
        )
        .unwrap();
        let code = torch_code(&cfg).unwrap();
        assert!(code.contains("torch.optim.AdamW([p], foreach=False, "));
        assert!(code.contains("lr=0.01, maximize=False, weight_decay=0.01)"));
        assert!(!code.contains("decoupled_weight_decay"));
        assert!(
            code.contains("SequentialLR(opt, schedulers=[torch.optim.lr_scheduler.LinearLR(opt,")
        );
        assert!(code.contains("CosineAnnealingLR(opt, eta_min=0.0, T_max=7)"));
        assert!(code.contains("torch.pow(v"));
    }
}
