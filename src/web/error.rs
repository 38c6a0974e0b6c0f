//! Core errors as JS values, in ONE conversion: a JS `Error` (so a stack trace survives) whose
//! message is the English text and whose properties are [`Error::data`]: `kind` (stable
//! snake_case), and as the kind has them `field`, `value`, `expected`, `name`, `suggestion`,
//! `span: {start, end}`... `www/common/errors.js` translates them by `kind`. Formula errors are
//! named `FormulaError` and also carry the span as `start` and `end`.

use crate::Error;
use wasm_bindgen::prelude::*;

/// The JS error for a core error.
pub fn to_js(e: Error) -> JsValue {
    let data = e.data();
    let message = data["message"].as_str().unwrap_or_default();
    let err = js_sys::Error::new(message);
    if matches!(e, Error::Formula { .. }) {
        err.set_name("FormulaError");
    }
    let set = |key: &str, v: &JsValue| {
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&err, &key.into(), v);
    };
    if let serde_json::Value::Object(fields) = &data {
        for (key, value) in fields {
            if key == "message" {
                continue;
            }
            // The JSON of a `serde_json::Value` always parses.
            let v =
                js_sys::JSON::parse(&crate::json_text::text(value)).unwrap_or(JsValue::UNDEFINED);
            set(key, &v);
        }
    }
    if let Error::Formula { span, .. } = &e {
        set("start", &(span.start as f64).into());
        set("end", &(span.end as f64).into());
    }
    err.into()
}

/// `?` on a core [`Error`] inside a binding that returns `Result<_, JsValue>`.
impl From<Error> for JsValue {
    fn from(e: Error) -> Self {
        to_js(e)
    }
}

/// JSON text of `v`, or an [`Error::Internal`].
pub fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> Result<String, JsValue> {
    crate::json_text::to_string(v).map_err(|e| to_js(Error::internal(e)))
}
