#!/usr/bin/env bash
# Installs what wasm-matrix needs on a fresh Debian machine; cheap to re-run.
# Debian packages: clang/lld/wasi-libc build the C guests, mono-devel builds
# and runs the csharp-native reference, chromium renders report.html in tests,
# valgrind counts instructions (bench --measure instructions).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 mono-devel chromium valgrind)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if ! command -v cargo >/dev/null; then
  echo "setup: Rust (cargo, 1.95 or newer) is required to build the runtime addons" >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages" >&2
  npm ci --no-audit --no-fund >&2
fi

# The clang-wasi-p2 flavor's component tools (jco) live in their own folder
# with their own lock file, apart from the harness's packages (see
# harness/toolchains/jco.ts); installed the same way, only when that lock changed.
jco=harness/toolchains/jco
if [ ! -f "$jco/node_modules/.package-lock.json" ] || [ "$jco/package-lock.json" -nt "$jco/node_modules/.package-lock.json" ]; then
  echo "setup: installing the component tools (jco)" >&2
  npm ci --no-audit --no-fund --prefix "$jco" >&2
fi

# actionlint checks .github/workflows/nightly.example.yml in the tests (harness/ci/test/workflow.test.ts).
ACTIONLINT_VERSION=v1.7.12
gobin="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin"
if command -v actionlint >/dev/null || [ -x "$gobin/actionlint" ]; then
  :
elif command -v go >/dev/null; then
  echo "setup: installing actionlint $ACTIONLINT_VERSION (go install)" >&2
  go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >&2 || echo "setup: go install of actionlint failed; its test will be skipped" >&2
else
  echo "setup: Go is not installed, so actionlint is not; the workflow lint test will be skipped (the CLI check of the workflow still runs)" >&2
fi
