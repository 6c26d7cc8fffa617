//! `Module`: a compiled core module and its import/export summary.

use crate::values::type_name;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use wasmtime::ExternType;

/// An import or export of a module.
#[napi(object)]
pub struct ExternSummary {
    /// Import module name (empty for exports).
    pub module: String,
    /// The import or export name.
    pub name: String,
    /// `func`, `memory`, `table`, `global` or `tag`.
    pub kind: String,
    /// For functions: `(i32, i32) -> (i64)`.
    pub signature: Option<String>,
}

/// A compiled (or deserialized) module.
#[napi]
pub struct Module {
    pub(crate) inner: wasmtime::Module,
}

fn describe(ty: &ExternType) -> (&'static str, Option<String>) {
    match ty {
        ExternType::Func(f) => {
            let list = |it: &mut dyn Iterator<Item = wasmtime::ValType>| {
                it.map(|t| type_name(&t)).collect::<Vec<_>>().join(", ")
            };
            let sig = format!("({}) -> ({})", list(&mut f.params()), list(&mut f.results()));
            ("func", Some(sig))
        }
        ExternType::Memory(_) => ("memory", None),
        ExternType::Table(_) => ("table", None),
        ExternType::Global(_) => ("global", None),
        #[allow(unreachable_patterns)]
        _ => ("tag", None),
    }
}

impl Module {
    /// Wraps a Wasmtime module.
    pub fn wrap(inner: wasmtime::Module) -> Self {
        Module { inner }
    }
}

#[napi]
impl Module {
    /// The module's imports, in order.
    #[napi]
    pub fn imports(&self) -> Vec<ExternSummary> {
        self.inner
            .imports()
            .map(|i| {
                let (kind, signature) = describe(&i.ty());
                ExternSummary {
                    module: i.module().to_string(),
                    name: i.name().to_string(),
                    kind: kind.into(),
                    signature,
                }
            })
            .collect()
    }

    /// The module's exports, in order.
    #[napi]
    pub fn exports(&self) -> Vec<ExternSummary> {
        self.inner
            .exports()
            .map(|e| {
                let (kind, signature) = describe(&e.ty());
                ExternSummary { module: String::new(), name: e.name().to_string(), kind: kind.into(), signature }
            })
            .collect()
    }

    /// The `.cwasm` bytes of this compiled module.
    #[napi]
    pub fn serialize(&self) -> Result<Buffer> {
        let bytes = self
            .inner
            .serialize()
            .map_err(|e| Error::new(Status::GenericFailure, format!("{e:#}")))?;
        Ok(bytes.into())
    }
}
