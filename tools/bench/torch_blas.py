#!/usr/bin/python3
"""Which BLAS library PyTorch actually runs on, and a guard for CPU baselines.

Debian's python3-torch is built with BLAS_INFO=generic: it links libblas.so.3, which Debian's
alternatives system points at whichever implementation is installed. With only libblas3 that is the
netlib *reference* BLAS (/usr/lib/<triplet>/blas/), ~10x slower than OpenBLAS, and every comparison
with PyTorch made on it is meaningless. The PyTorch baselines in tools/bench call require_fast_blas()
and record the library in their JSON output.

  /usr/bin/python3 tools/bench/torch_blas.py              # prints the library; exit 1 on the reference BLAS
  /usr/bin/python3 tools/bench/torch_blas.py --self-test  # checks classify() on known paths
"""
import ctypes
import os
import sys

FIX = "bash tools/install-system.sh --with-torch (or: apt-get install libopenblas0-pthread)"

# Directory or file-name markers of optimised implementations, checked on the resolved path.
_OPTIMISED = (("openblas", "openblas"), ("blis", "blis"), ("mkl", "mkl"), ("atlas", "atlas"), ("flexiblas", "flexiblas"))


def classify(path):
    """'reference', 'openblas', 'blis', 'mkl', 'atlas', 'flexiblas' or 'unknown' for a resolved library path."""
    lower = path.lower()
    base, folder = os.path.basename(lower), os.path.basename(os.path.dirname(lower))
    for marker, kind in _OPTIMISED:
        if marker in base or marker in folder:  # not the whole path: "/home/publisher/" holds "blis"
            return kind
    # Debian/Ubuntu's libblas3 lives in .../blas/libblas.so.3.x; a bare libblas.so.* without an optimised
    # marker (Fedora's "blas" package, a self-built netlib) is the reference implementation too.
    if folder == "blas" or base.startswith("libblas.so"):
        return "reference"
    return "unknown"


def _mapped_libraries(pid="self"):
    """Resolved paths of the shared libraries mapped into a process, in order of first mapping."""
    seen = []
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            parts = line.split(maxsplit=5)
            if len(parts) == 6 and parts[5].startswith("/") and ".so" in parts[5]:
                path = os.path.realpath(parts[5].strip())
                if path not in seen:
                    seen.append(path)
    return seen


def loaded_blas(torch):
    """{'path', 'kind', 'threads'} of the BLAS that torch's matmul runs on (does one matmul first)."""
    a = torch.ones(64, 64)
    float((a @ a).sum())  # loads and runs the BLAS (torch links it lazily through libtorch_cpu)
    libs = _mapped_libraries()
    generic = [p for p in libs if os.path.basename(p).startswith("libblas.so")]
    if generic:
        # torch calls sgemm_ through libblas.so.3; what that resolves to decides. OpenBLAS's libblas.so.3
        # is a thin front for libopenblas in the same directory: name that library when it is mapped.
        path = generic[0]
        kind = classify(path)
        if kind == "openblas":
            impl = [p for p in libs if os.path.dirname(p) == os.path.dirname(path) and "libopenblas" in os.path.basename(p)]
            path = impl[0] if impl else path
    else:
        direct = [p for p in libs if classify(p) not in ("reference", "unknown") and "lapack" not in os.path.basename(p)]
        if direct:
            path, kind = direct[0], classify(direct[0])
        else:
            # pip wheels link MKL statically into libtorch_cpu: no separate library is mapped.
            info = next((f for f in torch.__config__.show().replace(",", " ").split() if f.startswith("BLAS_INFO=")), "BLAS_INFO=?")
            path, kind = f"built into torch ({info})", "unknown" if info in ("BLAS_INFO=?", "BLAS_INFO=generic") else info.split("=", 1)[1]
    return {"path": path, "kind": kind, "threads": blas_threads()}


def _openblas():
    try:
        return ctypes.CDLL("libopenblas.so.0", mode=os.RTLD_NOLOAD)  # only if torch already loaded it
    except (OSError, AttributeError):
        return None


def blas_threads():
    """OpenBLAS's own thread count (torch.set_num_threads does not change it in 1.13), or None."""
    lib = _openblas()
    return int(lib.openblas_get_num_threads()) if lib is not None and hasattr(lib, "openblas_get_num_threads") else None


def set_blas_threads(n):
    """Sets OpenBLAS's thread count to n (so '--threads 1' means one thread in the GEMMs too)."""
    lib = _openblas()
    if lib is not None and hasattr(lib, "openblas_set_num_threads"):
        lib.openblas_set_num_threads(int(n))


def refusal(blas):
    return (f"PyTorch runs on the reference BLAS ({blas['path']}): it is ~10x slower than OpenBLAS and makes "
            f"the PyTorch baseline meaningless. Fix: {FIX}. Check: /usr/bin/python3 tools/bench/torch_blas.py")


def require_fast_blas(torch, script):
    """The loaded BLAS (see loaded_blas); exits with status 3 and a message naming the fix on the reference BLAS."""
    blas = loaded_blas(torch)
    if blas["kind"] == "reference":
        print(f"{script}: {refusal(blas)}", file=sys.stderr)
        raise SystemExit(3)
    return blas


def _self_test():
    cases = {
        "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0": "reference",
        "/usr/lib/aarch64-linux-gnu/blas/libblas.so.3.9.0": "reference",
        "/usr/lib64/libblas.so.3.8.0": "reference",
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so": "openblas",
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3": "openblas",
        "/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3": "openblas",
        "/usr/lib/x86_64-linux-gnu/blis-pthread/libblas.so.3": "blis",
        "/usr/lib/x86_64-linux-gnu/libmkl_rt.so": "mkl",
        "/usr/lib/x86_64-linux-gnu/libgomp.so.1": "unknown",
        "/home/publisher/netlib/libblas.so.3": "reference",
    }
    bad = [(p, classify(p), want) for p, want in cases.items() if classify(p) != want]
    for p, got, want in bad:
        print(f"classify({p!r}) = {got!r}, expected {want!r}", file=sys.stderr)
    blas = {"path": "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0", "kind": "reference"}
    message = refusal(blas)
    for needed in (blas["path"], "tools/install-system.sh --with-torch", "libopenblas0-pthread"):
        if needed not in message:
            bad.append(needed)
            print(f"refusal message lacks {needed!r}: {message}", file=sys.stderr)
    print(f"torch_blas self-test: {len(cases) - len(bad)}/{len(cases)} paths ok" if not bad else "torch_blas self-test: FAILED")
    return 1 if bad else 0


def main():
    if "--self-test" in sys.argv[1:]:
        raise SystemExit(_self_test())
    import torch

    blas = loaded_blas(torch)
    print(f"torch {torch.__version__}: BLAS {blas['kind']} ({blas['path']}), OpenBLAS threads {blas['threads']}")
    if blas["kind"] == "reference":
        print(f"torch_blas: {refusal(blas)}", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
