//! Host imports declared by a suite or an external program's spec, for modules
//! built for real platforms (SpacetimeDB's `spacetime_10.x`, ChilloutVR's
//! `env.*`). Each declared import is linked as a stub with the declared
//! signature (`Linker::func_new`): `trap` traps with a named reason, `zero`
//! returns zeros, `const` returns the given values, `record` returns zeros and
//! records the call with its arguments. The TypeScript side checks each
//! declaration against the module's own import before instantiating; the
//! linker refuses a type that still disagrees.

use crate::values::{from_val, placeholder, to_val, WasmValue};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use wasmtime::{Caller, FuncType, Linker, Val, ValType};

/// A stub for one import of the module's own platform, declared by the case.
#[napi(object)]
#[derive(Clone)]
pub struct HostImport {
    /// The import's module name.
    pub module: String,
    /// The import's field name.
    pub name: String,
    /// Parameter types: `i32`, `i64`, `f32`, `f64`.
    pub params: Vec<String>,
    /// Result types, in the same words as `params`.
    pub results: Vec<String>,
    /// `trap`, `zero`, `const` or `record`.
    pub behavior: String,
    /// For `const`: one value per result.
    pub values: Option<Vec<WasmValue>>,
}

/// One call of a `record` import.
#[napi(object)]
#[derive(Clone)]
pub struct HostCall {
    /// The import's module name.
    pub module: String,
    /// The import's field name.
    pub name: String,
    /// The arguments the guest passed, in order.
    pub args: Vec<WasmValue>,
}

/// The error a `trap` import returns; `outcome` maps it to the trap kind `host-import`.
#[derive(Debug)]
pub struct HostImportTrap(pub String);

impl std::fmt::Display for HostImportTrap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HostImportTrap {}

/// The store state gives the stubs somewhere to record calls.
pub trait RecordsHostCalls {
    fn host_calls(&mut self) -> &mut Vec<HostCall>;
}

fn invalid(message: String) -> Error {
    Error::new(Status::InvalidArg, message)
}

fn val_type(decl: &HostImport, name: &str) -> Result<ValType> {
    Ok(match name {
        "i32" => ValType::I32,
        "i64" => ValType::I64,
        "f32" => ValType::F32,
        "f64" => ValType::F64,
        other => {
            return Err(invalid(format!(
                "host import `{}`.`{}`: type `{other}` is not one of i32, i64, f32, f64",
                decl.module, decl.name
            )))
        }
    })
}

/// A result a stub returns, kept as plain numbers so the stub closure is `Send + Sync`.
#[derive(Clone, Copy)]
enum Scalar {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
}

impl Scalar {
    fn of(val: &Val) -> Self {
        match val {
            Val::I64(v) => Scalar::I64(*v),
            Val::F32(b) => Scalar::F32(*b),
            Val::F64(b) => Scalar::F64(*b),
            Val::I32(v) => Scalar::I32(*v),
            // Declarations only take i32, i64, f32, f64 (val_type refuses the rest).
            _ => Scalar::I32(0),
        }
    }

    fn val(self) -> Val {
        match self {
            Scalar::I32(v) => Val::I32(v),
            Scalar::I64(v) => Val::I64(v),
            Scalar::F32(b) => Val::F32(b),
            Scalar::F64(b) => Val::F64(b),
        }
    }
}

/// What a stub returns on every call.
fn result_values(decl: &HostImport, types: &[ValType]) -> Result<Vec<Val>> {
    match decl.behavior.as_str() {
        "zero" | "record" | "trap" => Ok(types.iter().map(placeholder).collect()),
        "const" => {
            let values = decl.values.as_deref().unwrap_or(&[]);
            if values.len() != types.len() {
                return Err(invalid(format!(
                    "host import `{}`.`{}`: `const` gives {} values for {} results",
                    decl.module,
                    decl.name,
                    values.len(),
                    types.len()
                )));
            }
            values
                .iter()
                .zip(types)
                .map(|(v, t)| to_val(v, t))
                .collect::<Result<Vec<_>>>()
                .map_err(|e| invalid(format!("host import `{}`.`{}`: {}", decl.module, decl.name, e.reason)))
        }
        other => Err(invalid(format!(
            "host import `{}`.`{}`: behavior `{other}` is not trap, zero, const or record",
            decl.module, decl.name
        ))),
    }
}

/// Links every declared import as a stub of its declared type.
pub fn link<T: RecordsHostCalls + 'static>(
    linker: &mut Linker<T>,
    engine: &wasmtime::Engine,
    imports: &[HostImport],
) -> Result<()> {
    for decl in imports {
        let params = decl.params.iter().map(|t| val_type(decl, t)).collect::<Result<Vec<_>>>()?;
        let results = decl.results.iter().map(|t| val_type(decl, t)).collect::<Result<Vec<_>>>()?;
        let values: Vec<Scalar> = result_values(decl, &results)?.iter().map(Scalar::of).collect();
        let ty = FuncType::new(engine, params, results);
        let (module, name) = (decl.module.clone(), decl.name.clone());
        let (trap, record) = (decl.behavior == "trap", decl.behavior == "record");
        linker
            .func_new(&decl.module, &decl.name, ty, move |mut caller: Caller<'_, T>, args, out| {
                if trap {
                    let reason = format!("host import `{module}`.`{name}` was called (declared `trap`)");
                    return Err(wasmtime::Error::new(HostImportTrap(reason)));
                }
                if record {
                    let args = args.iter().map(from_val).collect();
                    caller.data_mut().host_calls().push(HostCall { module: module.clone(), name: name.clone(), args });
                }
                for (slot, value) in out.iter_mut().zip(&values) {
                    *slot = value.val();
                }
                Ok(())
            })
            .map_err(|e| invalid(format!("host import `{}`.`{}`: {e:#}", decl.module, decl.name)))?;
    }
    Ok(())
}
