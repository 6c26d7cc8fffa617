//! Scalar values across the napi boundary. Every value travels as a string so
//! that i64 stays exact and float bits survive: `value` is decimal (floats in
//! Rust's shortest round-trip form, `NaN`, `inf`, `-inf`), `bits` is the raw
//! IEEE bit pattern in hex for floats, so NaN payloads can be compared.

use napi::bindgen_prelude::*;
use napi_derive::napi;
use wasmtime::{Val, ValType};

/// A wasm value: its type and its exact rendering; i64 as decimal, floats with their bits.
#[napi(object)]
#[derive(Clone)]
pub struct WasmValue {
    /// `i32`, `i64`, `f32` or `f64`.
    #[napi(js_name = "type")]
    pub kind: String,
    /// The value: decimal for integers, Rust's shortest round-trip rendering for floats.
    pub value: String,
    /// For floats: the bit pattern as `0x` hex; accepted on input in place of `value`.
    pub bits: Option<String>,
}

pub fn type_name(ty: &ValType) -> &'static str {
    match ty {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
        ValType::F32 => "f32",
        ValType::F64 => "f64",
        ValType::V128 => "v128",
        _ => "ref",
    }
}

fn bad(kind: &str, text: &str) -> Error {
    Error::new(Status::InvalidArg, format!("cannot read `{text}` as {kind}"))
}

fn parse_bits(bits: &str) -> Option<u64> {
    u64::from_str_radix(bits.trim_start_matches("0x"), 16).ok()
}

/// Converts one argument to the parameter type the export declares.
pub fn to_val(arg: &WasmValue, expected: &ValType) -> Result<Val> {
    let wanted = type_name(expected);
    if arg.kind != wanted {
        return Err(Error::new(
            Status::InvalidArg,
            format!("argument is {} but the export expects {wanted}", arg.kind),
        ));
    }
    let text = arg.value.trim();
    Ok(match expected {
        // i32/i64 accept signed or unsigned decimal, wrapping like wasm does.
        ValType::I32 => Val::I32(
            text.parse::<i64>()
                .ok()
                .filter(|v| *v >= i32::MIN as i64 && *v <= u32::MAX as i64)
                .ok_or_else(|| bad("i32", text))? as i32,
        ),
        ValType::I64 => Val::I64(
            text.parse::<i128>()
                .ok()
                .filter(|v| *v >= i64::MIN as i128 && *v <= u64::MAX as i128)
                .ok_or_else(|| bad("i64", text))? as i64,
        ),
        ValType::F32 => Val::F32(match arg.bits.as_deref().and_then(parse_bits) {
            Some(bits) => bits as u32,
            None => text.parse::<f32>().map_err(|_| bad("f32", text))?.to_bits(),
        }),
        ValType::F64 => Val::F64(match arg.bits.as_deref().and_then(parse_bits) {
            Some(bits) => bits,
            None => text.parse::<f64>().map_err(|_| bad("f64", text))?.to_bits(),
        }),
        _ => {
            return Err(Error::new(
                Status::InvalidArg,
                format!("parameters of type {wanted} are not supported"),
            ))
        }
    })
}

pub fn from_val(val: &Val) -> WasmValue {
    let (kind, value, bits) = match val {
        Val::I32(v) => ("i32", v.to_string(), None),
        Val::I64(v) => ("i64", v.to_string(), None),
        Val::F32(b) => ("f32", f32::from_bits(*b).to_string(), Some(format!("0x{b:08x}"))),
        Val::F64(b) => ("f64", f64::from_bits(*b).to_string(), Some(format!("0x{b:016x}"))),
        Val::V128(_) => ("v128", String::new(), None),
        _ => ("ref", String::new(), None),
    };
    WasmValue { kind: kind.to_string(), value, bits }
}

/// The zero value of a result slot, overwritten by `Func::call`.
pub fn placeholder(ty: &ValType) -> Val {
    match ty {
        ValType::I64 => Val::I64(0),
        ValType::F32 => Val::F32(0),
        ValType::F64 => Val::F64(0),
        _ => Val::I32(0),
    }
}
