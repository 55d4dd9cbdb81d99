"""The package's shape: one folder per job, imports that run one way, a light Excel-functions module.

The import graph is read with ``ast`` from the source (imports inside functions and under
``TYPE_CHECKING`` count too), so a lazy import cannot hide a cycle. The checker itself is
tested on small packages written to ``tmp_path``.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "xlcnn"

# Which job may import which: the folder (or top-level module) on the left may import those on the right.
ALLOWED = {
    "errors": set(),
    "datafiles": {"errors"},
    "data": set(),
    "core": {"errors"},  # the numbers: convolutions, the exercise, the notation, Excel's error values
    "files": {"errors", "core"},  # office files, generically: knows nothing of the exercise
    "layout": {"errors", "datafiles", "core", "files"},  # where the regions are
    "handout": {"errors", "datafiles", "core", "files", "layout"},  # the workbook handed out
    "workbook": {"errors", "core", "files", "layout", "handout"},  # what Exercise 1 means in a workbook
    "moodle": {"errors", "files"},
    "moodlews": {"errors", "files", "moodle"},  # Moodle's web services: pull and push
    "notebook": {"errors", "datafiles", "core"},  # datafiles: the practical it reads against
    "training": {"errors", "datafiles", "core", "files"},
    "grading": {"errors", "datafiles", "core", "files", "layout", "handout", "workbook", "moodle", "notebook"},
    "excel": {"errors", "core"},
    "console": {"core", "workbook", "grading"},
    "cli": {"errors", "core", "files", "layout", "handout", "workbook", "moodle", "moodlews", "grading", "notebook",
            "excel", "training", "console"},
}
# What loading the Excel functions may pull in besides the standard library.
UDF_THIRD_PARTY = {"numpy", "xlwings"}


def module_files(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of ``package``."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module ``name`` imports: the package's own ones resolved, others by their top-level name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_pkg = path.name == "__init__.py"
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.add(target)
            for alias in node.names:  # `from . import conv` imports the submodule
                if f"{target}.{alias.name}" in known:
                    out.add(f"{target}.{alias.name}")
    return out


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports (importing a.b.c also runs a and a.b)."""
    files = module_files(package)
    known = set(files)
    graph = {}
    for name, path in files.items():
        edges = set()
        for target in imports_of(name, path, known):
            parts = target.split(".")
            for i in range(1, len(parts) + 1):
                prefix = ".".join(parts[:i])
                if prefix in known and prefix != name and not name.startswith(prefix + "."):
                    edges.add(prefix)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """Modules run by importing ``start`` (its parent packages included)."""
    parts = start.split(".")
    todo = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    seen: set[str] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo.extend(graph.get(node, ()))
    return seen


def job(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


# ------------------------------------------------------------------ the checker, on small packages


def write_package(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "pkg"


@pytest.mark.parametrize("files, cycle", [
    ({"pkg/__init__.py": "", "pkg/a.py": "from . import b\n", "pkg/b.py": "from .a import x\n"},
     ["pkg.a", "pkg.b", "pkg.a"]),
    ({"pkg/__init__.py": "", "pkg/a.py": "def f():\n    from .b import y\n", "pkg/b.py": "import pkg.a\n"},
     ["pkg.a", "pkg.b", "pkg.a"]),
    ({"pkg/__init__.py": "", "pkg/s/__init__.py": "", "pkg/s/a.py": "from ..t.b import y\n",
      "pkg/t/__init__.py": "", "pkg/t/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                              "    from ..s.a import x\n"},
     ["pkg.s.a", "pkg.t.b", "pkg.s.a"]),
    ({"pkg/__init__.py": "", "pkg/a.py": "from . import b\n", "pkg/b.py": "import os\n"}, None),
], ids=["direct", "lazy", "type-checking-across-folders", "no-cycle"])
def test_the_checker_finds_cycles(tmp_path, files, cycle):
    assert find_cycle(import_graph(write_package(tmp_path, files))) == cycle


def test_the_checker_follows_parent_packages(tmp_path):
    pkg = write_package(tmp_path, {"pkg/__init__.py": "import heavy\n", "pkg/x/__init__.py": "",
                                   "pkg/x/light.py": "import numpy\n"})
    graph = import_graph(pkg)
    assert reachable(graph, "pkg.x.light") == {"pkg", "pkg.x", "pkg.x.light"}
    assert "heavy" in imports_of("pkg", pkg / "__init__.py", set(graph))


# ------------------------------------------------------------------ xlcnn itself

GRAPH = import_graph(PACKAGE)


def test_no_import_cycle():
    assert find_cycle(GRAPH) is None


def test_at_most_six_modules_stand_in_the_package_root():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 6, top


def test_every_module_says_what_it_produces():
    missing = [name for name, path in module_files(PACKAGE).items()
               if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))]
    assert not missing


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if m.count(".") >= 1), ids=str)
def test_imports_run_one_way(module):
    here = job(module)
    if here == "__init__" or module.split(".")[1] in ("__init__",):
        return
    allowed = ALLOWED[here] | {here}
    wrong = sorted(t for t in GRAPH[module] if t != "xlcnn" and job(t) not in allowed)
    assert not wrong, f"{module} ({here}) may import only {sorted(allowed)}"


def test_every_arrow_is_a_true_dependency():
    """ALLOWED states the dependencies as they are: an arrow no import uses is a claim to remove."""
    used: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        if module.count(".") >= 1:
            used.setdefault(job(module), set()).update(job(t) for t in targets
                                                       if t != "xlcnn" and job(t) != job(module))
    unused = {here: sorted(ALLOWED[here] - used.get(here, set()))
              for here in ALLOWED if ALLOWED[here] - used.get(here, set())}
    assert not unused, f"arrows no module uses: {unused}"


def test_the_package_root_imports_only_the_core_and_errors():
    assert {job(t) for t in GRAPH["xlcnn"]} <= {"core", "errors"}


def test_excel_functions_reach_no_heavy_import_in_the_source():
    stdlib = set(sys.stdlib_module_names)
    run = reachable(GRAPH, "xlcnn.excel.udfs")
    files = module_files(PACKAGE)
    third_party = set()
    for name in run:
        for target in imports_of(name, files[name], set(files)):
            top = target.split(".")[0]
            if top and top != "xlcnn" and top not in stdlib and top != "__future__":
                third_party.add(top)
    assert third_party <= UDF_THIRD_PARTY, sorted(third_party - UDF_THIRD_PARTY)
    assert {job(m) for m in run} <= {"__init__", "core", "errors", "excel"}, sorted(run)


def test_excel_functions_load_without_heavy_modules():
    """The real import, in a fresh interpreter: besides what numpy and xlwings load themselves (xlwings
    brings matplotlib where it is installed), nothing of openpyxl, click, rich or Keras gets loaded."""
    code = ("import os, sys; os.environ.setdefault('XLWINGS_ON_SERVER', 'true'); import numpy, xlwings; "
            "before = set(sys.modules); import xlcnn.excel.udfs; "
            "heavy = ('openpyxl', 'click', 'rich', 'keras', 'tensorflow', 'defusedxml', 'matplotlib'); "
            "print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] in heavy))")
    env = {**os.environ, "XLWINGS_LICENSE_KEY": os.environ.get("XLWINGS_LICENSE_KEY", "noncommercial")}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


# ------------------------------------------------------------------ each module's own tests

# A module with decisions in it has a test file of its own: tests/<job>/test_<module>.py, or the file
# named here, which tests it directly (its functions, not only the CLI around it).
OWN_TESTS = {
    "xlcnn.cli": "tests/test_cli.py",
    "xlcnn.console": "tests/test_console.py",
    "xlcnn.errors": "tests/grading/test_stages.py",  # paths, exit codes, pickling between processes
    "xlcnn.core.excel_errors": "tests/core/test_numbers.py",
    "xlcnn.excel.serving": "tests/excel/test_udfs.py",
    "xlcnn.files.external": "tests/workbook/test_confinement.py",
    "xlcnn.files.libreoffice": "tests/workbook/test_libreoffice.py",
    "xlcnn.files.safezip": "tests/grading/test_hostile_round_two.py",
    "xlcnn.grading.assess": "tests/grading/test_stages.py",
    "xlcnn.grading.intake": "tests/grading/test_stages.py",
    "xlcnn.grading.pipeline": "tests/grading/test_stages.py",
    "xlcnn.grading.record": "tests/grading/test_stages.py",
    "xlcnn.grading.feedback": "tests/grading/test_grade.py",
    "xlcnn.grading.isolation": "tests/grading/test_hostile_files.py",
    "xlcnn.grading.learning": "tests/grading/test_overrides_and_learning.py",
    "xlcnn.grading.overrides": "tests/grading/test_overrides_and_learning.py",
    "xlcnn.grading.scale": "tests/grading/test_scale_and_similarity.py",
    "xlcnn.grading.similarity": "tests/grading/test_scale_and_similarity.py",
    "xlcnn.handout.build": "tests/workbook/test_template.py",
    "xlcnn.handout.examples": "tests/core/test_exercise.py",
    "xlcnn.handout.groups": "tests/workbook/test_template.py",
    "xlcnn.handout.signing": "tests/workbook/test_template.py",
    "xlcnn.handout.variants": "tests/workbook/test_template.py",
    "xlcnn.layout.model": "tests/workbook/test_layout.py",
    "xlcnn.moodle.download": "tests/moodle/test_matching.py",
    "xlcnn.notebook.frameworks.base": "tests/notebook/test_frameworks.py",
    "xlcnn.notebook.frameworks.keras": "tests/notebook/test_frameworks.py",
    "xlcnn.notebook.frameworks.keras_tuner": "tests/notebook/test_frameworks.py",
    "xlcnn.notebook.frameworks.lightning": "tests/notebook/test_frameworks.py",
    "xlcnn.notebook.frameworks.pytorch": "tests/notebook/test_frameworks.py",
    "xlcnn.notebook.frameworks.skorch": "tests/notebook/test_frameworks.py",
    "xlcnn.moodlews.credentials": "tests/moodlews/test_client.py",
    "xlcnn.moodlews.pull": "tests/moodlews/test_client.py",
    "xlcnn.moodlews.site": "tests/moodlews/test_client.py",
    "xlcnn.moodlews.push": "tests/moodlews/test_plan.py",
    "xlcnn.training.cifar": "tests/training/test_results.py",
    "xlcnn.training.experiments": "tests/training/test_results.py",
    "xlcnn.training.models": "tests/training/test_results.py",
    "xlcnn.training.runner": "tests/training/test_results.py",
    "xlcnn.training.outcome": "tests/training/test_results_sheet.py",
    "xlcnn.workbook.checking": "tests/workbook/test_check.py",
    "xlcnn.workbook.picture": "tests/layout/test_draft.py",
    "xlcnn.workbook.reading": "tests/workbook/test_layout.py",
    "xlcnn.workbook.solution": "tests/workbook/test_template.py",
}
NO_DECISIONS = {  # what they hold decides nothing: a test file of their own would test Python
    "xlcnn.datafiles": "the paths of the package's data files",
    "xlcnn.workbook.verdict": "enums",
}


def modules() -> list[str]:
    return sorted(".".join(p.relative_to(ROOT).with_suffix("").parts) for p in (ROOT / "xlcnn").rglob("*.py")
                  if p.name != "__init__.py")


def own_test(module: str) -> Path:
    if module in OWN_TESTS:
        return ROOT / OWN_TESTS[module]
    parts = module.split(".")
    return ROOT.joinpath("tests", *parts[1:-1], f"test_{parts[-1]}.py")


@pytest.mark.parametrize("module", [m for m in modules() if m not in NO_DECISIONS])
def test_every_module_with_decisions_has_its_own_test_file(module):
    path = own_test(module)
    assert path.exists(), f"{module}: no {path.relative_to(ROOT)} (or name its test file in OWN_TESTS)"
    text = path.read_text(encoding="utf-8")
    name = module.rsplit(".", 1)[1]
    assert module in text or f"import {name}" in text or f" {name} import" in text or f"{name}," in text \
        or module == "xlcnn.layout.draft" and '"draft"' in text, \
        f"{path.relative_to(ROOT)} does not import {module}: it cannot be its own test file"


def test_the_table_of_own_tests_names_real_modules():
    assert set(OWN_TESTS) | set(NO_DECISIONS) <= set(modules())
