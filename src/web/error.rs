//! Core errors as JS values: a plain `Error` with the message, or for formula errors an
//! `Error` named `FormulaError` carrying the byte span (`start`, `end`) to underline.

use crate::Error;
use wasm_bindgen::prelude::*;

/// The JS error for a core error.
pub fn to_js(e: Error) -> JsValue {
    match e {
        Error::Formula { message, span } => {
            let err = js_sys::Error::new(&message);
            err.set_name("FormulaError");
            let set =
                |key: &str, v: usize| js_sys::Reflect::set(&err, &key.into(), &(v as f64).into());
            // Setting a property on a fresh Error object cannot fail.
            let _ = set("start", span.start);
            let _ = set("end", span.end);
            err.into()
        }
        other => JsError::new(&other.to_string()).into(),
    }
}
