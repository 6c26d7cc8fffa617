;; The cheapest possible call: what an export costs across napi, with no guest work.
(module (func (export "noop")))
